package org.jmapi.runtime.testproviders;

import org.jmapi.spi.GatedTable;
import org.jmapi.spi.LogonGate;
import org.jmapi.table.MapiTable;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A table handed out through a logon: a {@link org.jmapi.table.TableData} view that passes through the logon's
 * gate, lives in the logon's {@link org.jmapi.spi.ObjectRegistry} while it is referenced, and leaves it at its final
 * release. Invalidating it (logoff, or its message was submitted) invalidates the view, which drops the view's sinks
 * (R-INV-2).
 */
final class RegisteredTable extends GatedTable {
    private final Consumer<RegisteredTable> onRelease;

    /**
     * @param view      the view; this object owns its reference
     * @param gate      enters the owning logon's gate
     * @param onRelease unregisters this table when its count reaches zero
     */
    RegisteredTable(MapiTable view, Supplier<LogonGate.Pass> gate, Consumer<RegisteredTable> onRelease) {
        super(view, gate);
        this.onRelease = onRelease;
    }

    @Override
    protected void onFinalRelease() {
        super.onFinalRelease();
        onRelease.accept(this);
    }

    @Override
    protected String describe() {
        return "test-provider table";
    }
}
