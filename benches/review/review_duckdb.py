"""The figures of `rehearse review` computed with DuckDB over the same session logs, for
the review benchmark (benches/review.sh): DuckDB reads the JSON lines itself
(read_ndjson, only the fields asked for, lines that are not JSON passed over, as review
does) and prints tab-separated rows on standard output.

    python review_duckdb.py stats LOGS   # per question: attempts, answered, skipped,
                                         # over time, median and best answer, over-time
                                         # and skip rates; weakest first
    python review_duckdb.py list LOGS    # per session: start, bank, answered/planned,
                                         # skipped, over time, time, outcome; newest first

The stats give for every question the same numbers as `rehearse review stats --json`
(the median of an even count rounded down to a whole millisecond, as review does); the
list the same rows as `rehearse review --json`. Neither computes what review adds (trends,
categories, the overview, the limits): that work is review's alone.
"""

import sys

import duckdb

# Only the fields each query needs: naming them keeps DuckDB from building a schema of
# every record type (a session's plan and settings are large).
STATS = """
SELECT id,
  count(*) AS attempts,
  count(*) FILTER (WHERE outcome <> 'skipped') AS answered,
  count(*) FILTER (WHERE outcome = 'skipped') AS skipped,
  count(*) FILTER (WHERE overtime_ms > 0) AS over_time,
  CAST(floor(median(answer_ms) FILTER (WHERE outcome <> 'skipped')) AS UBIGINT) AS median_ms,
  min(answer_ms) FILTER (WHERE outcome <> 'skipped') AS best_ms,
  over_time / attempts AS over_rate,
  skipped / attempts AS skip_rate
FROM read_ndjson($logs, ignore_errors = true, columns = {
  event: 'VARCHAR', id: 'VARCHAR', outcome: 'VARCHAR', answer_ms: 'UBIGINT',
  overtime_ms: 'UBIGINT'})
WHERE event = 'question_ended' AND outcome <> 'unfinished'
GROUP BY id
ORDER BY over_rate + skip_rate DESC, id
"""

# A session is a file; one without its start line is not a session. "answered" counts
# the answers ended by the clock too, as the list does.
LIST = """
SELECT any_value("at") FILTER (WHERE event = 'session_started') AS started,
  any_value(bank) FILTER (WHERE event = 'session_started') AS bank,
  concat(count(*) FILTER (WHERE event = 'question_ended'
                          AND outcome NOT IN ('skipped', 'unfinished')),
    '/', any_value(json_array_length(plan)) FILTER (WHERE event = 'session_started')) AS answered,
  count(*) FILTER (WHERE event = 'question_ended' AND outcome = 'skipped') AS skipped,
  count(*) FILTER (WHERE event = 'question_ended' AND overtime_ms > 0) AS over_time,
  coalesce(any_value(total_ms) FILTER (WHERE event = 'session_ended'), max(t_ms)) AS total_ms,
  coalesce(any_value(outcome) FILTER (WHERE event = 'session_ended'), 'interrupted') AS ending
FROM read_ndjson($logs, filename = true, ignore_errors = true, columns = {
  event: 'VARCHAR', "at": 'VARCHAR', t_ms: 'UBIGINT', bank: 'VARCHAR', plan: 'JSON',
  outcome: 'VARCHAR', overtime_ms: 'UBIGINT', total_ms: 'UBIGINT'})
GROUP BY filename
HAVING started IS NOT NULL
ORDER BY CAST(started AS TIMESTAMPTZ) DESC, filename DESC
"""


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("stats", "list"):
        print("usage: review_duckdb.py stats|list LOGS", file=sys.stderr)
        return 2
    query = STATS if sys.argv[1] == "stats" else LIST
    logs = sys.argv[2].rstrip("/") + "/*.jsonl"
    rows = duckdb.connect().execute(query, {"logs": logs}).fetchall()
    out = sys.stdout
    for row in rows:
        out.write("\t".join("" if v is None else str(v) for v in row))
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
