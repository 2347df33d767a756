package dev.moe.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Standard output for the commands' text (tables, {@code moe inspect}, {@code explain}, {@code doctor}), remembering
 * why a write failed: {@code System.out} swallows the error, so {@code moe explain | head -1} ended 0 and a full disk
 * went unsaid. Bulk outputs ({@code --output -}, {@code --json -}) write the descriptor themselves and stop at once.
 */
final class StandardOutput extends FilterOutputStream {

    private IOException failure;
    private PrintStream text;

    private StandardOutput() {
        super(new FileOutputStream(FileDescriptor.out));
    }

    /**
     * Makes a new one, the commands' text goes through ({@link #text}); {@code System.out} then writes to standard error.
     * Standard output is moe's own: its text, and the CSV or JSON of {@code --output -} and {@code --json -}, which
     * write the descriptor. A line a plugin or one of its libraries prints with {@code System.out.println} went into
     * {@code moe predict --output -}'s CSV, before its header.
     */
    static StandardOutput install() {
        StandardOutput stdout = new StandardOutput();
        stdout.text = new PrintStream(new BufferedOutputStream(stdout, 1 << 13), true, Charset.defaultCharset());
        System.setOut(System.err);
        return stdout;
    }

    /** The commands' text, on standard output. */
    PrintStream text() {
        return text;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw remembered(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw remembered(e);
        }
    }

    private IOException remembered(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /**
     * The process's exit status once the command returned {@code status}: a command that succeeded but whose text
     * could not be written ends 141 when the reader went away (as a shell reports SIGPIPE), else 2 with one line.
     */
    int finish(int status, PrintWriter err) {
        text.flush();
        if (status != 0 || failure == null) {
            return status;
        }
        if (String.valueOf(failure.getMessage()).contains("Broken pipe")) {
            return Main.CLOSED_PIPE;
        }
        err.println("moe: cannot write standard output: " + failure.getMessage());
        err.flush();
        return Main.USER_ERROR;
    }
}
