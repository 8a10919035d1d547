/** What `superkick mcp` and the demo agent need: the MCP SDK and its schemas, built as dist/mcp.js (see common/sideBundle.ts). */
export { serveMcp } from './serve';
export { runDemoAgent } from '../demo/demoAgent';
