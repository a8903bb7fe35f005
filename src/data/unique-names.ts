/**
 * Keeps repeated names apart: the first keeps its name, later repeats get " (2)", " (3)", ...
 * A suffix never takes a name that already appears elsewhere in the list, so
 * ["a", "a", "a (2)"] gives ["a", "a (3)", "a (2)"] and every input name survives.
 */
export function uniqueNames(names: string[]): string[] {
  const given = new Set(names);
  const used = new Set<string>();
  return names.map((name) => {
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    let k = 2;
    while (used.has(`${name} (${k})`) || given.has(`${name} (${k})`)) k++;
    const unique = `${name} (${k})`;
    used.add(unique);
    return unique;
  });
}
