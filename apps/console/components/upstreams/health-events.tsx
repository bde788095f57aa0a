import type { HealthEvent } from "@gatehouse/shared";
import { EmptyState } from "../ui/states.tsx";

/** The pool's recent health changes, newest first, as the gateway recorded them. */
export function HealthEvents({ events }: { events: HealthEvent[] }) {
  if (events.length === 0) {
    return (
      <EmptyState title="No health changes" icon="◎">
        When the gateway takes a target out or brings it back, it shows here.
      </EmptyState>
    );
  }
  return (
    <table className="table" aria-label="Health events">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Target</th>
          <th scope="col">Change</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {events.slice(0, 50).map((event) => (
          <tr key={`${event.at}-${event.targetId}-${event.to}`}>
            <td className="muted">{new Date(event.at).toLocaleTimeString()}</td>
            <td>
              <code>{event.url}</code>
            </td>
            <td>
              {event.from} → <strong>{event.to}</strong>
            </td>
            <td className="muted">{event.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
