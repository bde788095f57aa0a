// Plain JavaScript on purpose: it must run, and explain itself, on the old Node it refuses.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Gatehouse needs Node.js 22.12 or newer (Node 24 LTS recommended); this is Node ${process.versions.node}.\n` +
      "Install a current Node (https://nodejs.org, nvm, or `npm install --prefix ~/.cache/node24 node@24`) and try again.",
  );
  process.exit(1);
}
