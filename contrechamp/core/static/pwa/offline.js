// The offline page lists the pages kept on this device, with their headings, so that a
// member without a connection sees what they can still open.

const section = document.querySelector("[data-pages-cache]");

async function listKeptPages() {
  if (!section || !("caches" in window)) {
    return;
  }
  const cacheName = section.dataset.pagesCache;
  if (!(await caches.has(cacheName))) {
    return;
  }
  const cache = await caches.open(cacheName);
  const requests = (await cache.keys()).reverse();
  const parser = new DOMParser();
  const list = section.querySelector("ul");
  for (const request of requests) {
    const response = await cache.match(request, { ignoreVary: true });
    if (!response) {
      continue;
    }
    const page = parser.parseFromString(await response.text(), "text/html");
    const heading = page.querySelector("main h1");
    const name = (heading ? heading.textContent : page.title).trim();
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = request.url;
    link.textContent = name || new URL(request.url).pathname;
    item.append(link);
    list.append(item);
  }
  section.hidden = list.children.length === 0;
}

listKeptPages().catch(() => {
  // Reading the device's cache failed: the links above still lead to the kept pages.
});
