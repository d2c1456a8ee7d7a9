// The TypeScript SDK client calls agent-mcp's decision tools over stdio.
//
// Usage: node ts_decision.mjs <server command> [args...]
// Prints one JSON document on stdout; exits non-zero on any failure. The client lists
// tools first, which makes it compile each outputSchema and validate every
// structuredContent it receives (callTool throws when they disagree).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { readFileSync } from "node:fs";

const [command, ...args] = process.argv.slice(2);
const transport = new StdioClientTransport({ command, args, stderr: "inherit" });
const client = new Client({ name: "ts-decision-interop", version: "1.0.0" });

const CALLS = [
  ["backend-developer__sync-vs-async", { answer: "HTTP calls" }],
  ["backend-developer__caching-strategy", {}],
  ["tree-styles__release-channel", { answers: ["Yes", "Yes", "No"] }],
  ["tree-styles__arbitration", { answers: ["YES", "0 confirmed"] }],
  ["backend-developer__checklist", { met: ["secrets-not-hardcoded"] }],
];

try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const calls = [];
  for (const [name, toolArgs] of CALLS) {
    const validator = client.getToolOutputValidator(name);
    if (typeof validator !== "function") {
      throw new Error(`the client holds no output validator for ${name}`);
    }
    // Control: the compiled validator must reject a document that breaks the schema,
    // or a passing call would prove nothing.
    if (validator({ unexpected: true }).valid) {
      throw new Error(`the validator for ${name} accepts anything`);
    }
    const result = await client.callTool({ name, arguments: toolArgs });
    calls.push({ name, isError: result.isError ?? false, structuredContent: result.structuredContent });
  }
  const manifest = new URL("./node_modules/@modelcontextprotocol/sdk/package.json", import.meta.url);
  const sdk = JSON.parse(readFileSync(manifest, "utf8")).version;
  process.stdout.write(
    JSON.stringify({ sdk, server: client.getServerVersion(), tools: tools.map((t) => t.name), calls }),
  );
} finally {
  await client.close();
}
