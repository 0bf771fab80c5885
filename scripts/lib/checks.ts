/** A list of named checks that prints as it goes and tells at the end whether all passed. */
export function checklist(log: (line: string) => void = console.log) {
  const failed: string[] = [];
  return {
    check(name: string, ok: boolean, detail = "") {
      log(`${ok ? "PASS" : "FAIL"}  ${name}${detail ? `: ${detail}` : ""}`);
      if (!ok) failed.push(name);
      return ok;
    },
    info(line: string) {
      log(`      ${line}`);
    },
    failed,
  };
}
