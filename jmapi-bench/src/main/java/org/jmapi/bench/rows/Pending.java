package org.jmapi.bench.rows;

import org.jmapi.bench.Bench;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;

import java.util.List;

/**
 * A row of the issue whose code under test does not exist yet. It prints no figures; the report lists it under
 * "Not measured yet" with {@link #notMeasuredReason()}. Replace the subclass with a measuring row when the code
 * lands.
 */
public abstract class Pending implements Row {
    @Override
    public abstract String notMeasuredReason();

    @Override
    public final List<Result> measure(Bench bench) {
        throw new UnsupportedOperationException(name() + " is not measured yet: " + notMeasuredReason());
    }
}
