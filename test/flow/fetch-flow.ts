/** The ListFile → FetchFile flow of the FetchFile tests, routing success to `ok` and every failure to `bad`. */
export function fetchFlowYaml(fetchProps: Record<string, string>): string {
  const p = Object.entries(fetchProps).map(([k, v]) => `          ${k}: '${v}'`).join('\n');
  return `
flows:
  ingest:
    processors:
      list: { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec, Listing Strategy: No Tracking } }
      fetch:
        type: FetchFile
        properties:
${p || "          Completion Strategy: 'None'"}
      ok:   { type: LogAttribute, state: STOPPED, autoTerminate: [success] }
      bad:  { type: LogAttribute, state: STOPPED, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: ok }
      - { from: fetch, relationship: [not.found, permission.denied, failure], to: bad }
`;
}
