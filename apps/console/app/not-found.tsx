import Link from "next/link";

export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="empty-state">
        <div className="empty-icon" aria-hidden="true">
          ?
        </div>
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <Link className="button" href="/apis">
          Back to APIs
        </Link>
      </div>
    </main>
  );
}
