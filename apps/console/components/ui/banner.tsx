import type { ReactNode } from "react";

interface BannerProps {
  tone?: "error" | "warning" | "info";
  title?: ReactNode;
  children?: ReactNode;
}

/** A message about the whole page or form; errors and warnings are announced at once. */
export function Banner({ tone = "error", title, children }: BannerProps) {
  return (
    <div className={`banner banner-${tone}`} role={tone === "info" ? "status" : "alert"}>
      {title ? <strong>{title}</strong> : null}
      {title && children ? " " : null}
      {children}
    </div>
  );
}
