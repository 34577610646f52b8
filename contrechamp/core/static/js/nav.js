// The navigation's groups are <details>: they open and close without this script.
// With it, one group is open at a time, and Escape or a click elsewhere closes it.
const groups = [...document.querySelectorAll(".site-nav .nav-group details")];

function closeAll(except) {
  for (const group of groups) {
    if (group !== except) group.open = false;
  }
}

for (const group of groups) {
  group.addEventListener("toggle", () => {
    if (group.open) closeAll(group);
  });
}

document.addEventListener("click", (event) => {
  if (!event.target.closest(".site-nav .nav-group")) closeAll(null);
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = groups.find((group) => group.open);
  if (open) {
    open.open = false;
    open.querySelector("summary").focus();
  }
});
