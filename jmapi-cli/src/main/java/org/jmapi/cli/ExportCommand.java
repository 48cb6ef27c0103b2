package org.jmapi.cli;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.mime.MimeWriter;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jmapi export}: writes the messages of a folder as {@code .eml} files (RFC 5322 / MIME, {@link MimeWriter})
 * into a directory, oldest first, named {@code 0001-subject.eml}; each file is written to a temporary name and
 * renamed when complete. The filters of {@code ls} choose which messages. MAPI_NO_MAIL session; the store is ended
 * with LOGOFF_ORDERLY.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export the messages of a folder as .eml files.")
final class ExportCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "FOLDER", description = "The folder.")
    String folder;

    @Parameters(index = "1", paramLabel = "DIR", description = "The directory to write to (created when missing).")
    Path dir;

    @Option(names = {"-f", "--filter"}, paramLabel = "EXPR", description = "COLUMN~TEXT, COLUMN=VALUE, COLUMN!=VALUE.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--progress", description = "Draw the progress bar even when standard error is not a terminal.")
    boolean progress;

    @Option(names = "--store", paramLabel = "NAME", description = "The store (default: the profile's default store).")
    String store;

    @Override
    int run() throws IOException {
        Files.createDirectories(dir);
        MimeWriter writer = new MimeWriter();
        List<Path> written = new ArrayList<>();
        try (MapiClient client = start()) {
            client.logon(false);
            MapiClient.OpenStore s = client.openStore(store, false, Flags.LOGOFF_ORDERLY);
            List<Row> rows;
            try (MapiFolder f = Folders.open(s.store, folder, false)) {
                rows = LsCommand.page(f, new int[] {PropTags.PR_ENTRYID, PropTags.PR_SUBJECT},
                        MessageColumns.sort("date,sent"), LsCommand.restriction(filters, false), 0, 0).rows();
            }
            try (Progress bar = Progress.start("exporting", rows.size(), progress, settings().json, err())) {
                int n = 0;
                for (Row r : rows) {
                    n++;
                    String subject = r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse("");
                    Path target = dir.resolve(String.format("%04d-%s.eml", n, slug(subject)));
                    Path tmp = dir.resolve(target.getFileName() + ".part");
                    try (Message m = ShowCommand.message(s.store.openEntry(
                            EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()), 0));
                         OutputStream out = Files.newOutputStream(tmp)) {
                        writer.write(m, out);
                    } catch (IOException | RuntimeException e) {
                        Files.deleteIfExists(tmp);
                        throw e;
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    written.add(target);
                    bar.stepTo(n);
                }
            }
        }
        Output o = output();
        if (o.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exported", written.size());
            m.put("files", written.stream().map(Path::toString).toList());
            o.json(m);
        } else {
            o.line("exported " + written.size() + " message" + (written.size() == 1 ? "" : "s") + " from " + folder
                    + " to " + dir);
        }
        return 0;
    }

    /** @return the subject as a short file-name part: letters, digits, '-' */
    static String slug(String subject) {
        String s = subject.replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("^-+|-+$", "");
        if (s.isEmpty()) {
            s = "message";
        }
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
