package org.jmapi.bench.mime;

import org.jmapi.BaseMapiObject;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Attach;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;

import java.util.List;

/** An attachment of a {@link MemoryMessage}: transacted; its {@code saveChanges} hands its properties over. */
final class MemoryAttach extends BaseMapiObject implements Attach {
    /** The owning message. */
    private final MemoryMessage message;
    /** PR_ATTACH_NUM. */
    private final int number;
    /** Working properties. */
    private final PropertyBag bag = new PropertyBag();

    /**
     * @param message the owner
     * @param number  PR_ATTACH_NUM
     * @param props   the saved properties to start from
     */
    MemoryAttach(MemoryMessage message, int number, List<PropValue> props) {
        this.message = message;
        this.number = number;
        bag.putAll(props);
    }

    @Override
    public PropValues getProps(int[] tags, int flags) {
        checkValid();
        return bag.getProps(tags, flags);
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        checkValid();
        return bag.setProps(values);
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        checkValid();
        return bag.deleteProps(tags);
    }

    @Override
    public int[] getPropList(int flags) {
        checkValid();
        return bag.getPropList(flags);
    }

    @Override
    public void saveChanges(int flags) {
        checkValid();
        message.putAttachment(number, bag.snapshot());
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the benchmark's in-memory attachment has no named "
                + "properties");
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the benchmark's in-memory attachment has no named "
                + "properties");
    }

    @Override
    protected String describe() {
        return "benchmark in-memory attachment " + number;
    }
}
