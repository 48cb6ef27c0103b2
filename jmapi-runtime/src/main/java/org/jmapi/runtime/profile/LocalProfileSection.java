package org.jmapi.runtime.profile;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * IProfSect: one open handle on a profile section.
 *
 * <p>The values live in a {@link SectionHost}; the handle keeps only its access rights, so every handle on a section
 * sees every change at once. Each call builds a {@link PropertyBag} over the section's current values and lets it
 * apply the IMAPIProp rules: secure ids hidden from {@code getProps(null)} and {@code getPropList} (R-PROF-3),
 * read-only unless opened with MAPI_MODIFY, PR_RESOURCE_FLAGS and PR_PROVIDER_DLL_NAME refused with
 * MAPI_E_NO_ACCESS problems on a provider's own section (R-PROF-4). Changes are stored at once; saveChanges is a
 * no-op and named properties are MAPI_E_NO_SUPPORT (R-PROF-1). A value with no persistent form (PT_ACTIONS) is
 * refused with a MAPI_E_INVALID_TYPE problem.
 *
 * <p>Thread-safe; the holder owns its references.
 */
final class LocalProfileSection extends BaseMapiObject implements ProfileSection {
    private static final PropValue PLACEHOLDER = PropValue.of(PropTag.PR_NULL, null);

    private final MapiUid uid;
    private final SectionHost host;
    private final boolean writable;
    private final boolean forProvider;

    LocalProfileSection(MapiUid uid, SectionHost host, boolean writable, boolean forProvider) {
        this.uid = uid;
        this.host = host;
        this.writable = writable;
        this.forProvider = forProvider;
    }

    @Override
    public MapiUid uid() {
        return uid;
    }

    /** @return whether the handle was opened with MAPI_MODIFY */
    boolean writable() {
        return writable;
    }

    private PropertyBag bag(List<PropValue> values) {
        PropertyBag b = new PropertyBag();
        b.replaceAll(values);
        b.setReadOnly(!writable);
        if (forProvider) {
            b.protect(PropTags.PR_RESOURCE_FLAGS, PropTags.PR_PROVIDER_DLL_NAME);
        }
        return b;
    }

    @Override
    public PropValues getProps(int[] tags, int flags) {
        checkValid();
        return bag(host.read(uid)).getProps(tags, flags);
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        checkValid();
        if (values == null || values.isEmpty()) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SetProps: no values");
        }
        for (PropValue v : values) {
            if (v == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SetProps: a null value");
            }
            if (v.type() == PropType.PT_OBJECT) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "SetProps: PT_OBJECT properties are set through OpenProperty: " + PropTag.toString(v.tag()));
            }
        }
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                    "SetProps: profile section " + uid + " was opened read-only (open it with MAPI_MODIFY)");
        }
        List<PropValue> storable = new ArrayList<>(values.size());
        List<PropProblem> problems = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            PropValue v = values.get(i);
            if (v.tag() == PropTag.PR_NULL || v.isError() || PropValueJson.canEncode(v)) {
                storable.add(v);
            } else {
                storable.add(PLACEHOLDER);
                problems.add(new PropProblem(i, v.tag(), HResult.MAPI_E_INVALID_TYPE));
            }
        }
        problems.addAll(host.edit(uid, current -> {
            PropertyBag b = bag(current);
            List<PropProblem> p = b.setProps(storable);
            return new SectionHost.Edited<>(p, b.snapshot());
        }));
        problems.sort(Comparator.comparingInt(PropProblem::index));
        return problems;
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        checkValid();
        if (tags == null || tags.length == 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "DeleteProps: no tags");
        }
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                    "DeleteProps: profile section " + uid + " was opened read-only (open it with MAPI_MODIFY)");
        }
        int[] copy = tags.clone();
        return host.edit(uid, current -> {
            PropertyBag b = bag(current);
            List<PropProblem> p = b.deleteProps(copy);
            return new SectionHost.Edited<>(p, b.snapshot());
        });
    }

    @Override
    public int[] getPropList(int flags) {
        checkValid();
        return bag(host.read(uid)).getPropList(flags);
    }

    /** Profile sections are not transacted: a successful no-op (R-PROF-1, R-PROP-5). */
    @Override
    public void saveChanges(int flags) {
        checkValid();
        Flags.checkKnown(flags, Flags.KEEP_OPEN_READONLY | Flags.KEEP_OPEN_READWRITE | Flags.FORCE_SAVE
                | Flags.MAPI_DEFERRED_ERRORS, "SaveChanges");
    }

    /** @throws MapiException always MAPI_E_NO_SUPPORT: sections have no named properties (R-PROF-1) */
    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        checkValid();
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "profile sections have no named properties");
    }

    /** @throws MapiException always MAPI_E_NO_SUPPORT: sections have no named properties (R-PROF-1) */
    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        checkValid();
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "profile sections have no named properties");
    }

    @Override
    protected String describe() {
        return "profsect:" + uid;
    }
}
