package org.jmapi.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MimeToMapi#readAll}: every byte of a part, in order, whatever its size and however the stream hands it. */
class ReadAllTest {
    @Test
    void readsEveryByteAcrossBufferGrowth() throws IOException {
        Random r = new Random(5);
        for (int size : new int[] {0, 1, 511, 512, 513, 1024, 4097, 100_000}) {
            byte[] data = new byte[size];
            r.nextBytes(data);
            for (int step : new int[] {1, 3, 512, 65_536}) {
                InputStream in = new ByteArrayInputStream(data) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, step));
                    }
                };
                assertThat(MimeToMapi.readAll(in)).as("size %d, step %d", size, step).isEqualTo(data);
            }
        }
    }
}
