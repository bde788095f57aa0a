/**
 * Where a V8 CPU profile spent its time: self time by function and by file (or package),
 * e.g. for the profiles `node bench/run.ts --cpu-prof DIR` leaves in DIR.
 *
 *   node bench/profile-summary.ts FILE.cpuprofile [top=25]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error("usage: node bench/profile-summary.ts FILE.cpuprofile [top]");
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** node_modules/<pkg>, node:internal/<area>, or the repo-relative file. */
function place(url: string): string {
  if (url === "") return "(native / V8)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith("node:")) return url.split("/").slice(0, 2).join("/");
  const repo = /\/(apps|packages|bench)\/.*$/.exec(url);
  return repo ? repo[0].slice(1) : url;
}

function functionKey(id: number): string {
  const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
  return `${functionName || "(anonymous)"} ${place(url)}${url ? `:${lineNumber + 1}` : ""}`;
}

// Idle time is the event loop waiting: the gateway sits idle while the other targets are measured.
const selfByFunction = new Map<string, number>();
const totalByFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
let busyUs = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const node = byId.get(id) as ProfileNode;
  if (node.callFrame.functionName === "(idle)") return;
  busyUs += us;
  const key = functionKey(id);
  selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + us);
  const where = place(node.callFrame.url);
  byPlace.set(where, (byPlace.get(where) ?? 0) + us);
  // Inclusive time: once per function on the sample's stack, whatever the recursion.
  const onStack = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(functionKey(at));
  for (const name of onStack) totalByFunction.set(name, (totalByFunction.get(name) ?? 0) + us);
});

const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}\n`);
  console.log("| % | ms | where |\n|---|---|---|");
  for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`| ${((us / busyUs) * 100).toFixed(1)} | ${(us / 1000).toFixed(0)} | ${name} |`);
  }
};
console.log(`${file}: ${(busyUs / 1e6).toFixed(1)} s busy (idle excluded); % of busy time`);
print("Self time by file or package", byPlace);
print("Self time by function", selfByFunction);
const ours = new Map([...totalByFunction].filter(([name]) => / (apps|packages)\//.test(name)));
print("Inclusive time of the project's own functions", ours);
