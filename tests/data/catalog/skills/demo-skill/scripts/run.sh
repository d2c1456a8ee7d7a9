#!/bin/sh
echo never executed by the server
