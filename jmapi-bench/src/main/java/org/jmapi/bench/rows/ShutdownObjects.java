package org.jmapi.bench.rows;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.LeakTracker;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.bench.Bench;
import org.jmapi.bench.MapiProfile;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code shutdown.objects}: with N open objects under one store logon (a third folder objects, a third messages
 * opened with {@code IMsgStore::OpenEntry}, a third contents tables), the time of {@code storeLogoff(LOGOFF_QUIET)}
 * plus the store's final {@code release} — which runs the whole R-SR-1 chain and invalidates every open object.
 * Median over several repetitions per size, each on a fresh store logon of the same session; after each repetition
 * every object is checked to answer MAPI_E_INVALID_OBJECT, then released.
 */
public final class ShutdownObjects implements Row {
    static final double TARGET_10K_MS = 20;
    static final double TARGET_LINEARITY = 12;
    static final int MESSAGES = 100;

    @Override
    public String name() {
        return "shutdown.objects";
    }

    @Override
    public String what() {
        return "storeLogoff(LOGOFF_QUIET) + final release of the store with 1,000 / 10,000 / 100,000 open objects "
                + "(⅓ folders, ⅓ messages opened with OpenEntry, ⅓ contents tables), SQLite store provider";
    }

    @Override
    public String baseline() {
        return "— (linearity: the 100,000 case ≤ 12× the 10,000 case)";
    }

    @Override
    public String target() {
        return "10,000 objects under 20 ms; 100,000 ≤ 12× 10,000";
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        int[] sizes = bench.quick() ? new int[] {1_000, 10_000} : new int[] {1_000, 10_000, 100_000};
        int[] reps = bench.quick() ? new int[] {7, 5} : new int[] {11, 9, 5};
        List<Result> out = new ArrayList<>();
        try (MapiProfile profile = new MapiProfile(bench.work().resolve("shutdown-objects"))) {
            MapiSession session = profile.logon();
            try {
                EntryId storeId = MapiProfile.storeId(session);
                List<EntryId> folders = new ArrayList<>();
                List<EntryId> messages = new ArrayList<>();
                MsgStore setup = MapiProfile.open(session, storeId);
                for (int tag : new int[] {PropTags.PR_IPM_SUBTREE_ENTRYID, PropTags.PR_IPM_OUTBOX_ENTRYID,
                        PropTags.PR_IPM_WASTEBASKET_ENTRYID, PropTags.PR_IPM_SENTMAIL_ENTRYID}) {
                    folders.add(EntryId.of(setup.getProp(tag).orElseThrow().asBinary()));
                }
                try (MapiFolder f = (MapiFolder) setup.openEntry(folders.get(2), Flags.MAPI_MODIFY)) {
                    for (int i = 0; i < MESSAGES; i++) {
                        try (Message m = f.createMessage(0)) {
                            m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "shutdown " + i)));
                            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                            messages.add(EntryId.of(m.getProp(PropTags.PR_ENTRYID).orElseThrow().asBinary()));
                        }
                    }
                }
                setup.storeLogoff(Flags.LOGOFF_QUIET);
                setup.release();
                long liveBase = LeakTracker.liveObjects();

                bench.log().printf("  warm-up: 3 × 1,000 objects%n");
                for (int i = 0; i < 3; i++) {
                    once(session, storeId, folders, messages, 1_000);
                }
                Map<Integer, Double> medians = new LinkedHashMap<>();
                for (int k = 0; k < sizes.length; k++) {
                    int n = sizes[k];
                    double[] ms = new double[reps[k]];
                    double[] openMs = new double[reps[k]];
                    long invalid = 0;
                    for (int r = 0; r < reps[k]; r++) {
                        Once o = once(session, storeId, folders, messages, n);
                        ms[r] = o.shutdownMs;
                        openMs[r] = o.openMs;
                        invalid += o.invalid;
                    }
                    double median = median(ms);
                    medians.put(n, median);
                    bench.log().printf("  %,d objects: median %.2f ms over %d (%s)%n", n, median, reps[k],
                            Arrays.toString(round(ms)));
                    long liveAfter = LeakTracker.liveObjects();
                    Map<String, Object> params = bench.params();
                    params.put("open_objects", n);
                    params.put("mix", String.format(Locale.ROOT, "%,d folders (store OpenEntry of 4 IPM folders, "
                            + "round robin), %,d messages (store OpenEntry of %d saved messages, round robin), %,d "
                            + "contents tables (GetContentsTable of the last opened folder)", (n + 2) / 3, (n + 1) / 3,
                            MESSAGES, n / 3));
                    params.put("timed", "store.storeLogoff(LOGOFF_QUIET) + store.release() (the final reference)");
                    params.put("repetitions", reps[k]);
                    params.put("times_ms", toList(round(ms)));
                    params.put("min_ms", Result.round(Arrays.stream(ms).min().orElseThrow()));
                    params.put("max_ms", Result.round(Arrays.stream(ms).max().orElseThrow()));
                    params.put("open_time_median_ms", Result.round(median(openMs)));
                    params.put("per_object_us", Result.round(median * 1000 / n));
                    params.put("invalidated", invalid + " of " + ((long) n * reps[k])
                            + " objects answered MAPI_E_INVALID_OBJECT after the release");
                    params.put("live_objects_after_releasing_all", liveAfter + " (before the first repetition: "
                            + liveBase + ")");
                    params.put("warm_up", "3 repetitions of 1,000 objects, not counted");
                    List<Result.Check> checks = new ArrayList<>();
                    checks.add(new Result.Check("every open object invalidated", invalid == (long) n * reps[k]));
                    String baseName = "—";
                    double baseValue = Double.NaN;
                    double ratio = Double.NaN;
                    if (n == 10_000) {
                        checks.add(new Result.Check("< " + (int) TARGET_10K_MS + " ms", median < TARGET_10K_MS));
                    }
                    if (n == 100_000 && medians.containsKey(10_000)) {
                        baseName = "shutdown.objects[10000]";
                        baseValue = medians.get(10_000);
                        ratio = median / baseValue;
                        checks.add(new Result.Check("≤ " + (int) TARGET_LINEARITY + "× the 10,000 case",
                                ratio <= TARGET_LINEARITY));
                    }
                    if (n == 10_000 && medians.containsKey(1_000)) {
                        params.put("ratio_to_1000", Result.round(median / medians.get(1_000)));
                    }
                    String target = n == 10_000 ? "< 20 ms" : n == 100_000 ? "≤ 12× the 10,000 case"
                            : "report (chart)";
                    out.add(new Result(name() + "[" + n + "]", median, Double.NaN, "ms", baseName, baseValue,
                            Double.NaN, ratio, target, checks, params));
                }
            } finally {
                session.logoff(0, 0, 0);
                session.release();
            }
        }
        return out;
    }

    private record Once(double openMs, double shutdownMs, long invalid) {}

    private static Once once(MapiSession session, EntryId storeId, List<EntryId> folders, List<EntryId> messages,
                             int n) {
        MsgStore store = MapiProfile.open(session, storeId);
        List<MapiObject> open = new ArrayList<>(n);
        long t0 = System.nanoTime();
        MapiFolder lastFolder = null;
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> {
                    lastFolder = (MapiFolder) store.openEntry(folders.get((i / 3) % folders.size()), 0);
                    open.add(lastFolder);
                }
                case 1 -> open.add(store.openEntry(messages.get((i / 3) % messages.size()), 0));
                default -> open.add(lastFolder.getContentsTable(0));
            }
        }
        long t1 = System.nanoTime();
        int res = store.storeLogoff(Flags.LOGOFF_QUIET);
        store.release();
        long t2 = System.nanoTime();
        if ((res & Flags.LOGOFF_COMPLETE) == 0) {
            throw new IllegalStateException("storeLogoff(LOGOFF_QUIET) did not complete: 0x" + Integer.toHexString(res));
        }
        long invalid = 0;
        for (MapiObject o : open) {
            try {
                if (o instanceof MapiTable t) {
                    t.queryColumns(0);
                } else {
                    ((MapiProp) o).getProps(new int[] {PropTags.PR_ENTRYID}, 0);
                }
            } catch (MapiException e) {
                if (e.hresult() == HResult.MAPI_E_INVALID_OBJECT) {
                    invalid++;
                }
            }
            o.release();
        }
        return new Once((t1 - t0) / 1e6, (t2 - t1) / 1e6, invalid);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(Result::round).toArray();
    }

    private static List<Double> toList(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }
}
