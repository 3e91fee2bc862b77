// The rule for "no English word" in Chinese output (help, errors, the CLI catalogue): the ASCII words
// of a text that are not allowed. Allowed, by rule, not by a list of the words that happen to occur:
// - a whole line that is a command to type (`$ baomi …` in the examples);
// - what is between 「」 (a literal value the user types), <> and [] (placeholders, a CSV column),
//   and `{name}` slots of a catalogue text;
// - a token that starts with `-` (a flag) or `.` (a file extension);
// - the program's and the commands' names (given);
// - a path, file name or identifier: a token with `/`, `\`, `_`, `=`, `*`, `+`, `@`, a digit, or a
//   dot between two letters (report.json, kern.log);
// - an acronym or environment variable in capitals (USB, JSON, LANG), or a mixed-case name
//   (CurrentControlSet, SQLite).
export function foreignWordsIn(text: string, names: readonly string[]): string[] {
  const named = new Set(names);
  const bad: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*\$ /.test(line)) continue;
    const rest = line
      .replace(/「[^」]*」/g, ' ')
      .replace(/<[^<>]*>/g, ' ')
      .replace(/\[[^[\]]*\]/g, ' ')
      .replace(/\{\w+(\|[^|{}]*\|[^|{}]*)?\}/g, ' ');
    for (const raw of rest.match(/[\x21-\x7e]+/g) ?? []) {
      const t = raw.replace(/^[(),;:'"]+|[(),;:'".?!]+$/g, '');
      if (!/[A-Za-z]/.test(t)) continue;
      if (t.startsWith('-') || t.startsWith('.') || named.has(t)) continue;
      if (/[/\\_=*+@0-9]/.test(t) || /[A-Za-z]\.[A-Za-z]/.test(t)) continue;
      if (/^[A-Z][A-Z-]*$/.test(t) || /[a-z][A-Z]|[A-Z]{2}[a-z]/.test(t)) continue;
      bad.push(t);
    }
  }
  return bad;
}
