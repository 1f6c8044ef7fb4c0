// WAI-ARIA tabs: arrow keys move between tabs, the chosen tab is kept in the URL (?tab=).
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { useSearchParams } from "react-router";

export interface Tab {
  id: string;
  label: string;
  render: () => ReactNode;
}

export function Tabs({ tabs, label }: { tabs: Tab[]; label: string }) {
  const [search, setSearch] = useSearchParams();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const chosen = tabs.find((tab) => tab.id === search.get("tab")) ?? tabs[0];
  if (!chosen) return null;

  const choose = (tab: Tab, focus = false) => {
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        next.set("tab", tab.id);
        return next;
      },
      { replace: true },
    );
    if (focus) buttons.current[tabs.indexOf(tab)]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.indexOf(chosen);
    const moves: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length];
    if (next) choose(next, true);
  };

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab === chosen}
            aria-controls={`panel-${tab.id}`}
            tabIndex={tab === chosen ? 0 : -1}
            onClick={() => choose(tab)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${chosen.id}`} aria-labelledby={`tab-${chosen.id}`}>
        {chosen.render()}
      </div>
    </div>
  );
}
