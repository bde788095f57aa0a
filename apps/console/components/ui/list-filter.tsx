interface ListFilterProps {
  id: string;
  /** The accessible name of the search box. */
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** A refetch is running behind the rows already shown. */
  updating?: boolean;
}

/** The search box above a list page's table, with a spinner while the filtered page loads. */
export function ListFilter({ id, label, value, onChange, updating }: ListFilterProps) {
  return (
    <div className="toolbar">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        className="input"
        type="search"
        placeholder="Filter by name…"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {updating ? <span className="spinner" role="status" aria-label="Updating" /> : null}
    </div>
  );
}
