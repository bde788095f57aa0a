import type { ReactNode } from "react";

export function AuthCard({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <header>
          <div className="brand" style={{ padding: 0 }}>
            <span className="brand-mark" aria-hidden="true">
              G
            </span>
            Gatehouse
          </div>
          <h1>{title}</h1>
          {description ? <p>{description}</p> : null}
        </header>
        {children}
      </div>
    </main>
  );
}
