/* Contrechamp's service worker: the site's shell, and the member's upcoming events for
 * reading without a connection.
 *
 * Served at /sw.js by contrechamp.core.pwa.service_worker, which writes before this source
 * `self.PWA = {...}`: the version, the cache names, the shell's URLs, the offline page, the
 * paths of the pages kept for offline reading and when to forget them (see pwa.py).
 *
 * - Install: the shell (stylesheet, scripts, icons, offline page) goes in a cache named
 *   after the version; activating deletes every other Contrechamp cache.
 * - Pages are fetched from the network first. Kept pages ("My events", event pages) are
 *   copied on the device as they are visited; without a network, or after PWA.patienceMs
 *   on a weak one, the copy is shown, else the offline page.
 * - Only GET requests are answered here: a POST goes to the network untouched, and a POST
 *   that may change who is signed in forgets the kept pages.
 */
"use strict";

const PWA = self.PWA;
const KEPT = PWA.kept.map((source) => new RegExp(source));
const SHELL = new Set(PWA.shell);
const CURRENT_CACHES = new Set([PWA.shellCache, PWA.pagesCache]);
const MATCH = { ignoreVary: true };
const GONE = new Set([403, 404, 410]);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(PWA.shellCache)
      .then((cache) => cache.addAll(PWA.shell.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("contrechamp-") && !CURRENT_CACHES.has(name))
          .map((name) => caches.delete(name)),
      );
      if (self.registration.navigationPreload) {
        // The page's request starts while the worker wakes up, instead of after.
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method !== "GET") {
    if (PWA.forgetAfterPostingTo.some((prefix) => url.pathname.startsWith(prefix))) {
      event.waitUntil(caches.delete(PWA.pagesCache));
    }
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (SHELL.has(url.pathname) && !url.search) {
    event.respondWith(fromShell(request));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data;
  const valid = data && typeof data.url === "string" && Array.isArray(data.links);
  if (valid && data.type === "visited") {
    event.waitUntil(keepLinksOf(data.url, data.links));
  }
});

function isKept(url) {
  const sameOrigin = url.origin === self.location.origin;
  return sameOrigin && !url.search && KEPT.some((path) => path.test(url.pathname));
}

function isCopyable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

async function fromShell(request) {
  const cached = await caches.match(request, { ...MATCH, cacheName: PWA.shellCache });
  return cached || fetch(request);
}

async function fromNetwork(event) {
  const preloaded = await event.preloadResponse;
  return preloaded || fetch(event.request);
}

async function navigate(event, url) {
  const network = fromNetwork(event);
  // The copy is cloned as soon as the answer arrives, before the browser reads its body.
  const updated = network.then((response) =>
    afterNavigation(url, response, isCopyable(response) ? response.clone() : null),
  );
  event.waitUntil(updated.catch(() => undefined));
  const copy = isKept(url)
    ? await caches.match(url.href, { ...MATCH, cacheName: PWA.pagesCache })
    : undefined;
  if (copy) {
    const first = await Promise.race([
      network.catch(() => null),
      new Promise((resolve) => setTimeout(resolve, PWA.patienceMs, null)),
    ]);
    return first || savedCopy(copy);
  }
  try {
    return await network;
  } catch (error) {
    return offlinePage();
  }
}

async function afterNavigation(url, response, copy) {
  if (isKept(url)) {
    if (copy) {
      await keep(url.href, copy);
    } else if (url.pathname === PWA.listOfKept && response.type === "opaqueredirect") {
      // "My events" sends a signed-out visitor to sign in: nobody's pages stay here.
      await caches.delete(PWA.pagesCache);
    } else if (GONE.has(response.status) || response.type === "opaqueredirect") {
      // Deleted, or no longer for this member: an old copy would mislead. A server error
      // leaves the copy, which is still the best there is.
      const cache = await caches.open(PWA.pagesCache);
      await cache.delete(url.href);
    }
  }
  if (isCopyable(response)) {
    await followLanguage(response.headers.get("Content-Language"));
  }
}

async function keep(href, response) {
  const cache = await caches.open(PWA.pagesCache);
  await cache.put(href, response);
  // The cache lists its entries oldest first; "My events" always stays.
  const listOfKept = new URL(PWA.listOfKept, self.location.origin).href;
  const requests = (await cache.keys()).filter((request) => request.url !== listOfKept);
  const excess = requests.length + 1 - PWA.keptAtMost;
  await Promise.all(requests.slice(0, Math.max(excess, 0)).map((request) => cache.delete(request)));
}

async function keepLinksOf(pageUrl, links) {
  const page = new URL(pageUrl, self.location.origin);
  if (page.origin !== self.location.origin || page.pathname !== PWA.listOfKept || page.search) {
    return;
  }
  const cache = await caches.open(PWA.pagesCache);
  const wanted = new Set([page.href]);
  for (const link of links) {
    if (wanted.size >= PWA.keptAtMost) {
      break;
    }
    try {
      const url = new URL(link, self.location.origin);
      url.hash = "";
      if (isKept(url)) {
        wanted.add(url.href);
      }
    } catch (error) {
      // Not a URL: nothing to keep.
    }
  }
  for (const href of wanted) {
    if (isRecent(await cache.match(href, MATCH))) {
      continue;
    }
    try {
      const response = await fetch(href, { credentials: "same-origin", cache: "no-cache" });
      if (isCopyable(response)) {
        await keep(href, response);
      }
    } catch (error) {
      // The network went away: what is kept already stays.
      return;
    }
  }
}

function isRecent(copy) {
  const savedAt = Date.parse((copy && copy.headers.get("Date")) || "");
  return Number.isFinite(savedAt) && Date.now() - savedAt < PWA.refreshAfterMs;
}

async function savedCopy(copy) {
  // Server-Timing reaches the page's navigation timing: register.js shows a notice.
  const headers = new Headers(copy.headers);
  headers.append("Server-Timing", `saved-copy;desc="${copy.headers.get("Date") || ""}"`);
  return new Response(copy.body, { status: copy.status, statusText: copy.statusText, headers });
}

async function offlinePage() {
  const page = await caches.match(PWA.offline, { ...MATCH, cacheName: PWA.shellCache });
  return page || Response.error();
}

async function followLanguage(language) {
  // The offline page is kept in the language the member reads the site in.
  if (!language) {
    return;
  }
  const cache = await caches.open(PWA.shellCache);
  const page = await cache.match(PWA.offline, MATCH);
  if (page && page.headers.get("Content-Language") !== language) {
    const fresh = await fetch(PWA.offline, { credentials: "same-origin", cache: "no-cache" });
    if (isCopyable(fresh)) {
      await cache.put(PWA.offline, fresh);
    }
  }
}
