package dev.ponder.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The picocli converter of a tool's input file or folder (a checkpoint, a CSV, a results folder): one that is
 * not there is a usage error, reported with the usage message, instead of a stack trace from deep in the tool.
 * {@code @Parameters(index = "0", converter = ExistingPath.class) Path checkpoint}.
 */
public final class ExistingPath implements ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        Path p = Path.of(value);
        if (!Files.exists(p)) {
            throw new TypeConversionException("no such file or folder: " + value);
        }
        return p;
    }
}
