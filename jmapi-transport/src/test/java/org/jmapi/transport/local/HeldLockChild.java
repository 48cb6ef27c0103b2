package org.jmapi.transport.local;

import org.jmapi.store.MessageRow;
import org.jmapi.store.sqlite.SqliteStorage;

import java.nio.file.Path;
import java.util.List;

/**
 * Another spooler holding a message, for {@link HeldLockTest}: opens the SQLite store file given as the argument,
 * locks its only queued message the way a spooler does (SetLockState), prints {@code locked} and then holds the lock
 * until the test kills this JVM. Its lock ends with its process, and no write says so.
 */
final class HeldLockChild {
    private HeldLockChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        SqliteStorage storage = SqliteStorage.open(Path.of(args[0]));
        List<MessageRow> queue = storage.queue();
        if (queue.size() != 1) {
            System.out.println("expected one queued message, found " + queue.size());
            System.exit(2);
        }
        storage.lockMessage(queue.get(0).id());
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
