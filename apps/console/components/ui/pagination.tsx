interface PaginationProps {
  total: number;
  limit: number;
  offset: number;
  noun: string;
  onOffset: (offset: number) => void;
}

export function Pagination({ total, limit, offset, noun, onOffset }: PaginationProps) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <div className="pagination">
      <span>
        {first}–{last} of {total} {noun}
      </span>
      {total > limit ? (
        <div className="row">
          <button
            type="button"
            className="button button-small"
            disabled={offset === 0}
            onClick={() => onOffset(Math.max(0, offset - limit))}
          >
            Previous
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={last >= total}
            onClick={() => onOffset(offset + limit)}
          >
            Next
          </button>
        </div>
      ) : null}
    </div>
  );
}
