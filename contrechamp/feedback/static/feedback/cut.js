// "Comment at the current time": fills the timecode field from the playing video.
// Without JavaScript (or with a linked, not embedded, video) the timecode is typed.
const player = document.querySelector("[data-cut-player]");
const button = document.querySelector("[data-timecode-now]");
const field = document.querySelector("[data-timecode-field]");

function pad(value) {
  return String(value).padStart(2, "0");
}

// Frame count to SMPTE timecode; drop-frame skips frame numbers 00 and 01 each minute
// except every tenth (the same rule as feedback/timecode.py).
export function formatTimecode(frames, nominal, dropFrame) {
  let count = Math.max(0, frames);
  if (dropFrame) {
    const perTenMinutes = 17982;
    const perMinute = 1798;
    const tens = Math.floor(count / perTenMinutes);
    const rest = count % perTenMinutes;
    count += 18 * tens + (rest > 2 ? 2 * Math.floor((rest - 2) / perMinute) : 0);
  }
  const ff = count % nominal;
  const ss = Math.floor(count / nominal) % 60;
  const mm = Math.floor(count / (nominal * 60)) % 60;
  const hh = Math.floor(count / (nominal * 3600));
  return `${pad(hh)}:${pad(mm)}:${pad(ss)}${dropFrame ? ";" : ":"}${pad(ff)}`;
}

if (player && button && field) {
  const video = player.querySelector("video");
  const numerator = Number(player.dataset.rateNumerator);
  const denominator = Number(player.dataset.rateDenominator);
  const nominal = Number(player.dataset.rateNominal);
  const dropFrame = player.dataset.dropFrame === "true";
  const durationFrames = Number(player.dataset.durationFrames);
  button.hidden = false;
  button.addEventListener("click", () => {
    video.pause();
    let frames = Math.floor((video.currentTime * numerator) / denominator);
    frames = Math.min(frames, durationFrames - 1);
    field.value = formatTimecode(frames, nominal, dropFrame);
    const body = document.querySelector("#id_body");
    (body || field).focus();
  });
  document.querySelectorAll("[data-seek-frame]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      video.currentTime = (Number(link.dataset.seekFrame) * denominator) / numerator;
      video.focus();
    });
  });
}
