package org.jmapi.cli;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.trace.TraceEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code jmapi logoff}: opens a store and ends it with the LOGOFF_* flag given, printing what
 * {@code IMsgStore::StoreLogoff} answered, for people testing their own providers. By default the session runs its
 * spooler and the command waits until the spooler's own logon on the store is made (the
 * {@code IMSProvider::SpoolerLogon} return in the lifecycle trace), so the flag meets a store the spooler really
 * holds (spec &sect;11.3). A refused logoff (QUIET or ABORT with activity: no LOGOFF_COMPLETE) leaves the store
 * usable (R-SL-7); the command then releases it, which ends the client logon anyway (R-SR-1).
 */
@Command(name = "logoff", mixinStandardHelpOptions = true,
        description = "Log a store off with a chosen LOGOFF_* flag and print StoreLogoff's output flags.")
final class LogoffCommand extends BaseCommand {
    @Option(names = "--flag", paramLabel = "FLAG", defaultValue = "ORDERLY",
            description = "NO_WAIT, ORDERLY, PURGE, ABORT or QUIET (LOGOFF_ prefix optional). Default: ${DEFAULT-VALUE}.")
    String flag;

    @Option(names = "--store", paramLabel = "NAME", description = "The store (default: the profile's default store).")
    String store;

    @Option(names = "--no-mail", description = "Log on with MAPI_NO_MAIL: no spooler, so StoreLogoffTransports has nothing to ask (R-SLT-3).")
    boolean noMail;

    @Option(names = "--wait-spooler", paramLabel = "SECONDS", defaultValue = "20",
            description = "How long to wait for the spooler's logon on the store. Default: ${DEFAULT-VALUE}.")
    int waitSpooler;

    /**
     * @param name a flag name: NO_WAIT, no-wait, LOGOFF_NO_WAIT, ...
     * @return its value
     */
    static int parseFlag(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        if (n.startsWith("LOGOFF_")) {
            n = n.substring("LOGOFF_".length());
        }
        return switch (n) {
            case "NO_WAIT" -> Flags.LOGOFF_NO_WAIT;
            case "ORDERLY" -> Flags.LOGOFF_ORDERLY;
            case "PURGE" -> Flags.LOGOFF_PURGE;
            case "ABORT" -> Flags.LOGOFF_ABORT;
            case "QUIET" -> Flags.LOGOFF_QUIET;
            default -> throw new CommandFailure("unknown flag '" + name + "': use NO_WAIT, ORDERLY, PURGE, ABORT or QUIET");
        };
    }

    @Override
    int run() throws InterruptedException {
        int f = parseFlag(flag);
        String flagName = "LOGOFF_" + flag.strip().toUpperCase(Locale.ROOT).replace('-', '_').replaceFirst("^LOGOFF_", "");
        int result;
        String storeName;
        try (MapiClient client = start()) {
            client.logon(!noMail);
            CountDownLatch spooler = new CountDownLatch(1);
            Runnable stop = Mapi.trace().addListener(e -> {
                if (e.call().equals("IMSProvider::SpoolerLogon") && e.phase() == TraceEvent.Phase.RETURN) {
                    spooler.countDown();
                }
            });
            MapiClient.OpenStore s;
            try {
                s = client.openStore(store, true, Flags.LOGOFF_ORDERLY);
                if (!noMail && !spooler.await(waitSpooler, TimeUnit.SECONDS)) {
                    err().println("jmapi: warning: the spooler did not log on to the store within " + waitSpooler
                            + " s; logging off anyway");
                }
            } finally {
                stop.run();
            }
            storeName = s.name;
            result = client.endStore(s, f);
        }
        Output o = output();
        boolean complete = (result & Flags.LOGOFF_COMPLETE) != 0;
        if (o.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("store", storeName);
            m.put("flag", flagName);
            m.put("output", PropText.logoffBits(result));
            m.put("outputHex", HResult.hex(result));
            m.put("complete", complete);
            o.json(m);
        } else {
            o.line("StoreLogoff(" + flagName + ") on " + storeName + ": " + PropText.logoffBits(result) + " ("
                    + HResult.hex(result) + ")" + (complete ? "" : " - refused; the store was then released"));
        }
        return 0;
    }
}
