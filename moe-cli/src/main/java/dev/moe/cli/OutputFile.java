package dev.moe.cli;

import java.io.File;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * An output file named on the command line. A value that ends with a separator ({@code -o results/}) names a folder,
 * and {@link Path#of} would drop the separator and write a file called {@code results}: such a value is refused.
 */
final class OutputFile implements CommandLine.ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        if (value.length() > 1 && (value.endsWith("/") || value.endsWith(File.separator))) {
            throw new CommandLine.TypeConversionException(value + " ends with a separator, so it names a folder; give a file name");
        }
        return Path.of(value);
    }
}
