import Link from "next/link";

interface TabsProps {
  /** Names the navigation landmark, e.g. "API views". */
  label: string;
  items: ReadonlyArray<{ href: string; label: string; current: boolean }>;
}

/** Views of one page as links (each has its own URL to share or reload), the current one marked. */
export function Tabs({ label, items }: TabsProps) {
  return (
    <nav className="tabs" aria-label={label}>
      {items.map((item) => (
        <Link key={item.href} href={item.href} aria-current={item.current ? "page" : undefined} scroll={false}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
