"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const NAV = [
  { href: "/overview", label: "Overview" },
  { href: "/apis", label: "APIs" },
  { href: "/consumers", label: "Consumers" },
  { href: "/plans", label: "Plans" },
  { href: "/upstreams", label: "Upstreams" },
  { href: "/requests", label: "Request log" },
  { href: "/settings", label: "Settings" },
];

export function Sidebar() {
  const pathname = usePathname();
  return (
    <aside className="sidebar">
      <Link href="/apis" className="brand">
        <span className="brand-mark" aria-hidden="true">
          G
        </span>
        Gatehouse
      </Link>
      <nav className="nav" aria-label="Main">
        {NAV.map((item) => {
          const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <Link key={item.href} href={item.href} aria-current={current ? "page" : undefined}>
              {item.label}
            </Link>
          );
        })}
      </nav>
    </aside>
  );
}
