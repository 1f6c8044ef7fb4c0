// The badge each reminder or run status wears (shared CSS: ui/app.css).
export const STATUS_BADGES: Record<string, string> = {
  planned: "badge badge-warn",
  pending: "badge badge-warn",
  sent: "badge badge-ok",
  cancelled: "badge",
  failed: "badge badge-danger",
  running: "badge badge-warn",
  done: "badge badge-ok",
};
