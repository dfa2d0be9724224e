// toReceive → which prefixes a neighbor accepts (default: none).
import type { Receive } from "../../api/types.ts";
import { indexed } from "../collections.ts";
import type { IncomingModel, PrefixSelectorModel } from "../model.ts";
import { child, item } from "../path.ts";
import type { ConfigContext } from "./context.ts";
import { canonicalPrefix } from "./prefix.ts";

/** FRR's rule is len < ge <= le, and len <= le; both bounded by the family's address length. */
function lengthProblem(mask: number, max: number, le?: number, ge?: number): string | undefined {
  if (le !== undefined && le > max) return `le ${le} is longer than a ${max}-bit address`;
  if (ge !== undefined && ge > max) return `ge ${ge} is longer than a ${max}-bit address`;
  if (le !== undefined && ge !== undefined && ge > le) return `ge ${ge} is bigger than le ${le}`;
  if (le !== undefined && mask > le) return `cidr mask ${mask} is bigger than le ${le}`;
  // FRR requires len < ge (a ge equal to the prefix length is refused at reload).
  if (ge !== undefined && mask >= ge) return `ge ${ge} must be longer than the prefix length ${mask}`;
  return undefined;
}

export function convertIncoming(
  receive: Receive | undefined,
  path: string,
  ctx: ConfigContext,
): IncomingModel | undefined {
  const allowed = receive?.allowed;
  const prefixesPath = child(child(path, "allowed"), "prefixes");
  if (allowed?.mode === "all") {
    if (allowed.prefixes?.length)
      ctx.reporter.warning(
        "IGNORED_FIELD",
        prefixesPath,
        "prefixes are ignored when mode is all: every prefix is accepted",
      );
    return { all: true, ipv4: [], ipv6: [] };
  }
  const selectors: PrefixSelectorModel[] = [];
  let ok = true;
  for (const [index, selector] of indexed(allowed?.prefixes)) {
    const at = item(prefixesPath, index);
    const canonical = canonicalPrefix(ctx.reporter, child(at, "prefix"), selector.prefix ?? "");
    if (!canonical) {
      ok = false;
      continue;
    }
    const max = canonical.family === "ipv4" ? 32 : 128;
    const problem = lengthProblem(canonical.length, max, selector.le, selector.ge);
    if (problem) {
      ctx.reporter.error(
        "INVALID_SELECTOR_LENGTHS",
        at,
        `invalid selector lengths for ${selector.prefix}: ${problem}`,
      );
      ok = false;
      continue;
    }
    selectors.push({
      prefix: canonical.prefix,
      family: canonical.family,
      ...(selector.le !== undefined && { le: selector.le }),
      ...(selector.ge !== undefined && { ge: selector.ge }),
    });
  }
  if (!ok) return undefined;
  return {
    all: false,
    ipv4: selectors.filter((s) => s.family === "ipv4"),
    ipv6: selectors.filter((s) => s.family === "ipv6"),
  };
}
