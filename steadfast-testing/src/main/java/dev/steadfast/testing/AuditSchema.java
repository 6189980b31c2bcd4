package dev.steadfast.testing;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.rng.CompactSchemaReader;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** Validates audit messages against the DICOM audit message schema (PS3.15 A.5.1.1, test resource) with Jing. */
public final class AuditSchema {
    private AuditSchema() {}

    /** The schema's complaints about {@code xml}; empty when it is valid. */
    public static List<String> problems(String xml) throws Exception {
        List<String> problems = new ArrayList<>();
        ErrorHandler handler = new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {}

            @Override
            public void error(SAXParseException e) {
                problems.add(e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                problems.add(e.getMessage());
            }
        };
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, handler);
        ValidationDriver driver = new ValidationDriver(props.toPropertyMap(), CompactSchemaReader.getInstance());
        String schema = AuditSchema.class.getResource("/audit/dicom-audit-message.rnc").toExternalForm();
        if (!driver.loadSchema(new InputSource(schema))) {
            throw new IllegalStateException("the audit schema did not load: " + problems);
        }
        if (!driver.validate(new InputSource(new StringReader(xml))) && problems.isEmpty()) {
            problems.add("invalid");
        }
        return problems;
    }
}
