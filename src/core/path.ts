// Field paths as users read them: `spec.bgp.routers[0].neighbors[1].asn`. Map keys that are
// not plain identifiers are quoted: `spec.nodeSelector.matchLabels["kubernetes.io/hostname"]`.

export function child(path: string, key: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
  const segment = plain ? key : `[${JSON.stringify(key)}]`;
  if (path === "") return segment;
  return plain ? `${path}.${segment}` : `${path}${segment}`;
}

export function item(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** True when `path` is `ancestor` or lies beneath it. */
export function isWithin(path: string, ancestor: string): boolean {
  if (!path.startsWith(ancestor)) return false;
  const next = path.charAt(ancestor.length);
  return next === "" || next === "." || next === "[";
}
