"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState } from "react";

const NAV = [
  { href: "/overview", label: "Overview" },
  { href: "/apis", label: "APIs" },
  { href: "/consumers", label: "Consumers" },
  { href: "/plans", label: "Plans" },
  { href: "/upstreams", label: "Upstreams" },
  { href: "/certificates", label: "Certificates" },
  { href: "/requests", label: "Request log" },
  { href: "/history", label: "History" },
  { href: "/settings", label: "Settings" },
];

/** The navigation: a column beside the page, or on a narrow screen a menu behind a button. */
export function Sidebar() {
  const pathname = usePathname();
  const toggle = useRef<HTMLButtonElement>(null);
  // The menu stays open only on the page it was opened on, so any navigation closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;

  return (
    <aside
      className="sidebar"
      onKeyDown={(event) => {
        if (event.key !== "Escape" || !open) return;
        setOpenOn(null);
        toggle.current?.focus();
      }}
    >
      <Link href="/apis" className="brand">
        <span className="brand-mark" aria-hidden="true">
          G
        </span>
        Gatehouse
      </Link>
      <button
        ref={toggle}
        type="button"
        className="button button-small nav-toggle"
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        Menu
      </button>
      <nav id="main-nav" className="nav" aria-label="Main" data-open={open || undefined}>
        {NAV.map((item) => {
          const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={current ? "page" : undefined}
              // The current page's own link does not navigate, so it closes the menu itself.
              onClick={() => setOpenOn(null)}
            >
              {item.label}
            </Link>
          );
        })}
      </nav>
    </aside>
  );
}
