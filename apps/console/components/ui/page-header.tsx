import type { ReactNode } from "react";

interface PageHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  breadcrumb?: ReactNode;
}

export function PageHeader({ title, description, actions, breadcrumb }: PageHeaderProps) {
  return (
    <>
      {breadcrumb ? (
        <nav className="breadcrumb" aria-label="Breadcrumb">
          {breadcrumb}
        </nav>
      ) : null}
      <header className="page-header">
        <div>
          <h1>{title}</h1>
          {description ? <p>{description}</p> : null}
        </div>
        {actions ? <div className="actions">{actions}</div> : null}
      </header>
    </>
  );
}
