package dev.depthwise.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The stride-1 channels-first tiles in {@code src/main} are what their template writes. */
class DwNchwTileSourceTest {
    @Test
    void everyTileIsItsTemplatesOutput() throws IOException {
        for (int n = DwNchwTileSource.FIRST; n <= DwNchwTileSource.LAST; n++) {
            Path file = DwNchwTileSource.file(Path.of(""), n);
            assertEquals(DwNchwTileSource.source(n), Files.readString(file),
                    file + " differs from its template: edit DwNchwTileSource and run its main, not the file");
        }
    }
}
