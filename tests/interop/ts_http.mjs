// The TypeScript SDK client over Streamable HTTP with a bearer token: lists and reads
// everything, gets a prompt, calls tools. The client validates structuredContent against
// each tool's outputSchema, so a clean run means it accepted every result.
// Usage: node ts_http.mjs URL TOKEN  -> one JSON summary line on stdout.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "agent-mcp-ts-http", version: "0" });
await client.connect(transport);

async function all(list, key) {
  const items = [];
  let cursor;
  do {
    const page = await list(cursor ? { cursor } : {});
    items.push(...page[key]);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const tools = await all((p) => client.listTools(p), "tools");
const prompts = await all((p) => client.listPrompts(p), "prompts");
const resources = await all((p) => client.listResources(p), "resources");
let read = 0;
for (const resource of resources) {
  const result = await client.readResource({ uri: resource.uri });
  if (result.contents.length > 0) read++;
}
const prompt = await client.getPrompt({ name: prompts[0].name, arguments: { task: "Add a /health route" } });
// Tools that need no arguments, plus load_agent for the first agent.
const calls = [];
for (const tool of tools) {
  const required = tool.inputSchema.required ?? [];
  if (required.length === 0) calls.push([tool.name, {}]);
  else if (tool.name === "load_agent") calls.push([tool.name, { agent: prompts[0].name }]);
}
let structured = 0;
let errors = 0;
for (const [name, args] of calls) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) errors++;
  if (result.structuredContent) structured++;
}
console.log(
  JSON.stringify({
    protocolVersion: transport.protocolVersion ?? null,
    sessionId: transport.sessionId ?? null,
    tools: tools.length,
    prompts: prompts.length,
    resources: resources.length,
    read,
    promptMessages: prompt.messages.length,
    calls: calls.length,
    structured,
    errors,
  }),
);
await client.close();
