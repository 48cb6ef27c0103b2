package org.jmapi.bench;

import java.util.List;

/**
 * One row of the benchmark table (issue #6): a jmapi figure next to a baseline measured in the same run, and the
 * target the ratio is held to. Rows are separate classes registered in {@link Rows#ALL}; a row whose code under test
 * does not exist yet says so with {@link #notMeasuredReason()} and is listed, without numbers, under "Not measured
 * yet".
 */
public interface Row {
    /** @return the row's name, as in the issue ("store.save") */
    String name();

    /** @return what jmapi does in this row */
    String what();

    /** @return what the baseline does, measured in the same run ("—" when the row has none) */
    String baseline();

    /** @return the target, as the issue states it */
    String target();

    /**
     * @return why the row cannot be measured yet, or null when it can
     */
    default String notMeasuredReason() {
        return null;
    }

    /**
     * Measures the row.
     *
     * @param bench the run's settings, work directory and shared fixtures
     * @return one result per printed line (a row may print several, e.g. one per parameter)
     * @throws Exception when the measurement fails; the run stops (no partial numbers are published)
     */
    List<Result> measure(Bench bench) throws Exception;
}
