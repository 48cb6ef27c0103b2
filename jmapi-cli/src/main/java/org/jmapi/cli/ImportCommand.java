package org.jmapi.cli;

import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.mime.MimeReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code jmapi import}: converts {@code .eml} files (RFC 5322 / MIME) into messages of a folder with
 * {@link MimeReader}: CreateMessage, the conversion, SaveChanges, Release, one message at a time. A directory is
 * searched for {@code *.eml} files (recursively), imported in name order. Malformed mail is imported as well as the
 * data allows and its defects are listed on standard error. MAPI_NO_MAIL session; the store is ended with
 * LOGOFF_ORDERLY.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import .eml files (or directories of them) into a folder.")
final class ImportCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = ".eml files or directories.")
    List<Path> paths;

    @Option(names = "--folder", paramLabel = "FOLDER", defaultValue = "Inbox", description = "The target folder. Default: ${DEFAULT-VALUE}.")
    String folder;

    @Option(names = "--progress", description = "Draw the progress bar even when standard error is not a terminal.")
    boolean progress;

    @Option(names = "--store", paramLabel = "NAME", description = "The store (default: the profile's default store).")
    String store;

    @Override
    int run() throws IOException {
        List<Path> files = emlFiles(paths);
        if (files.isEmpty()) {
            throw new CommandFailure("no .eml files in " + paths);
        }
        MimeReader reader = new MimeReader();
        int withDefects = 0;
        try (MapiClient client = start()) {
            client.logon(false);
            MapiClient.OpenStore s = client.openStore(store, true, Flags.LOGOFF_ORDERLY);
            try (MapiFolder f = Folders.open(s.store, folder, true);
                 Progress bar = Progress.start("importing", files.size(), progress, settings().json, err())) {
                int done = 0;
                for (Path p : files) {
                    try (Message m = f.createMessage(0); InputStream in = Files.newInputStream(p)) {
                        MimeReader.Result r = reader.read(in, m);
                        m.saveChanges(0);
                        // A property the store computes itself (PR_HASATTACH) is refused as MAPI_E_COMPUTED: nothing
                        // of the input is lost by that, so it is not reported.
                        List<String> defects = r.defects().stream().filter(d -> !d.contains("MAPI_E_COMPUTED")).toList();
                        if (!defects.isEmpty()) {
                            withDefects++;
                            if (!settings().json && settings().debug) {
                                err().println("jmapi: " + p + ": " + String.join("; ", defects));
                            }
                        }
                    }
                    bar.stepTo(++done);
                }
            }
        }
        Output o = output();
        if (o.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("imported", files.size());
            m.put("folder", folder);
            m.put("withDefects", withDefects);
            o.json(m);
        } else {
            o.line("imported " + files.size() + " message" + (files.size() == 1 ? "" : "s") + " into " + folder
                    + (withDefects == 0 ? "" : " (" + withDefects + " with defects in the input; --debug lists them)"));
        }
        return 0;
    }

    /**
     * @param paths files and directories
     * @return the files to import: each file given, and every {@code *.eml} below each directory, in name order
     * @throws CommandFailure for a path that does not exist
     */
    static List<Path> emlFiles(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(x -> x.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".eml"))
                            .sorted().forEach(out::add);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new CommandFailure("no such file or directory: " + p);
            }
        }
        return out;
    }
}
