#!/bin/sh
# A checkout of another commit for the A/B scripts (ab-checkouts, key-index-memory,
# rollup-cells --base): a git worktree that borrows this checkout's installed packages but
# links its own workspace packages, so a change under packages/ is compared too. Linking
# node_modules whole would hand the other commit this checkout's packages/.
#
#   sh bench/base-checkout.sh COMMIT DIR
set -eu
commit=$1
dir=$2
here=$(cd "$(dirname "$0")/.." && pwd)
git -C "$here" worktree add --detach "$dir" "$commit"
mkdir "$dir/node_modules" "$dir/node_modules/@gatehouse"
for entry in "$here"/node_modules/* "$here"/node_modules/.bin; do
  [ "$(basename "$entry")" = "@gatehouse" ] || ln -s "$entry" "$dir/node_modules/"
done
for workspace in "$dir"/apps/* "$dir"/packages/*; do
  name=$(node -p "require('$workspace/package.json').name")
  ln -s "$workspace" "$dir/node_modules/$name"
done
echo "$dir: $(git -C "$dir" log --oneline -1)"
