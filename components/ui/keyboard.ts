/** True while the person is typing in a field: page shortcuts must not fire then (ui.md). */
export function isTyping(e: KeyboardEvent): boolean {
  return e.target instanceof HTMLElement && (e.target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(e.target.tagName));
}
