import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generates the typed OCPP message classes from the OCA JSON schemas under {@code schemas/}.
 *
 * <p>Run by the build at generate-sources as a single-file program ({@code java -cp <jackson>
 * OcppSchemaGenerator.java <schemas> <out>}); its output is never committed. Per version it
 * writes one package: a class per message, a class per object type and an enum per enumeration
 * the schemas define, and a descriptor class ({@code Ocpp16}, {@code Ocpp201}, {@code Ocpp21})
 * with one {@code OcppAction} constant per action.
 *
 * <p>Names: 2.x and the 1.6 security schemas name their types ({@code javaType}, or the
 * definition name without its {@code Type} suffix). The 1.6 core schemas repeat their types
 * inline without names, so {@link Naming16} names them after the OCPP 1.6 specification, and a
 * type that several messages repeat becomes one class.
 */
public final class OcppSchemaGenerator {
  private OcppSchemaGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: OcppSchemaGenerator <schemas-dir> <output-dir>");
      System.exit(2);
    }
    Path schemas = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<VersionSpec> versions =
        List.of(
            new VersionSpec("1.6", "v16", "Ocpp16", "V1_6", List.of("v16", "v16-security"), true),
            new VersionSpec("2.0.1", "v201", "Ocpp201", "V2_0_1", List.of("v201"), false),
            new VersionSpec("2.1", "v21", "Ocpp21", "V2_1", List.of("v21"), false));
    int files = 0;
    for (VersionSpec v : versions) {
      Model model = new Model(v);
      model.load(schemas);
      files += new Writer(model, out).writeAll();
    }
    System.out.println("OcppSchemaGenerator: wrote " + files + " files to " + out);
  }

  /** One OCPP version: where its schemas are and where its classes go. */
  record VersionSpec(
      String label,
      String packageSuffix,
      String descriptor,
      String versionConstant,
      List<String> dirs,
      boolean inlineTypes) {
    String javaPackage() {
      return "dev.ocppj.client." + packageSuffix;
    }
  }
}

/** The 1.6 specification's names for the types the 1.6 core schemas repeat inline. */
final class Naming16 {
  /** Inline objects, by property name (array items by the array's name). */
  static final Map<String, String> OBJECTS =
      Map.ofEntries(
          Map.entry("idTagInfo", "IdTagInfo"),
          Map.entry("chargingProfile", "ChargingProfile"),
          Map.entry("csChargingProfiles", "ChargingProfile"),
          Map.entry("chargingSchedule", "ChargingSchedule"),
          Map.entry("chargingSchedulePeriod", "ChargingSchedulePeriod"),
          Map.entry("configurationKey", "KeyValue"),
          Map.entry("meterValue", "MeterValue"),
          Map.entry("transactionData", "MeterValue"),
          Map.entry("sampledValue", "SampledValue"),
          Map.entry("localAuthorizationList", "AuthorizationData"));

  /** Inline enumerations, by {@code <containing class>.<property>}. */
  static final Map<String, String> ENUMS =
      Map.ofEntries(
          Map.entry("IdTagInfo.status", "AuthorizationStatus"),
          Map.entry("BootNotificationResponse.status", "RegistrationStatus"),
          Map.entry("CancelReservationResponse.status", "CancelReservationStatus"),
          Map.entry("ChangeAvailabilityRequest.type", "AvailabilityType"),
          Map.entry("ChangeAvailabilityResponse.status", "AvailabilityStatus"),
          Map.entry("ChangeConfigurationResponse.status", "ConfigurationStatus"),
          Map.entry("ClearCacheResponse.status", "ClearCacheStatus"),
          Map.entry("ClearChargingProfileRequest.chargingProfilePurpose", "ChargingProfilePurposeType"),
          Map.entry("ChargingProfile.chargingProfilePurpose", "ChargingProfilePurposeType"),
          Map.entry("ClearChargingProfileResponse.status", "ClearChargingProfileStatus"),
          Map.entry("DataTransferResponse.status", "DataTransferStatus"),
          Map.entry("DiagnosticsStatusNotificationRequest.status", "DiagnosticsStatus"),
          Map.entry("FirmwareStatusNotificationRequest.status", "FirmwareStatus"),
          Map.entry("GetCompositeScheduleRequest.chargingRateUnit", "ChargingRateUnitType"),
          Map.entry("ChargingSchedule.chargingRateUnit", "ChargingRateUnitType"),
          Map.entry("GetCompositeScheduleResponse.status", "GetCompositeScheduleStatus"),
          Map.entry("SampledValue.context", "ReadingContext"),
          Map.entry("SampledValue.format", "ValueFormat"),
          Map.entry("SampledValue.location", "Location"),
          Map.entry("SampledValue.measurand", "Measurand"),
          Map.entry("SampledValue.phase", "Phase"),
          Map.entry("SampledValue.unit", "UnitOfMeasure"),
          Map.entry("ChargingProfile.chargingProfileKind", "ChargingProfileKindType"),
          Map.entry("ChargingProfile.recurrencyKind", "RecurrencyKindType"),
          Map.entry("RemoteStartTransactionResponse.status", "RemoteStartStopStatus"),
          Map.entry("RemoteStopTransactionResponse.status", "RemoteStartStopStatus"),
          Map.entry("ReserveNowResponse.status", "ReservationStatus"),
          Map.entry("ResetRequest.type", "ResetType"),
          Map.entry("ResetResponse.status", "ResetStatus"),
          Map.entry("SendLocalListRequest.updateType", "UpdateType"),
          Map.entry("SendLocalListResponse.status", "UpdateStatus"),
          Map.entry("SetChargingProfileResponse.status", "ChargingProfileStatus"),
          Map.entry("StatusNotificationRequest.errorCode", "ChargePointErrorCode"),
          Map.entry("StatusNotificationRequest.status", "ChargePointStatus"),
          Map.entry("StopTransactionRequest.reason", "Reason"),
          Map.entry("TriggerMessageRequest.requestedMessage", "MessageTrigger"),
          Map.entry("TriggerMessageResponse.status", "TriggerMessageStatus"),
          Map.entry("UnlockConnectorResponse.status", "UnlockStatus"));

  /**
   * Properties the 2015 schemas type {@code number} where the OCPP-J 1.6 errata (and the OCA's
   * 2019-12 re-release of the schemas) say {@code integer}: they get {@code Integer}, which both
   * editions accept and which goes out as {@code 300}, never {@code 300.0}.
   */
  static final Set<String> INTEGERS =
      Set.of(
          "BootNotificationResponse.interval",
          "UpdateFirmwareRequest.retries",
          "UpdateFirmwareRequest.retryInterval");

  private Naming16() {}
}

/** A Java type a property can have. */
sealed interface TypeRef permits TypeRef.Simple, TypeRef.Named, TypeRef.ListOf {
  /** The type as written in Java source. */
  String java();

  /** A JDK or Jackson type, written by its simple name after an import. */
  record Simple(String java, String importName) implements TypeRef {}

  /** A type this generator writes into the same package. */
  record Named(String java) implements TypeRef {}

  /** A list of another type. */
  record ListOf(TypeRef element) implements TypeRef {
    @Override
    public String java() {
      return "List<" + element.java() + ">";
    }
  }

  TypeRef STRING = new Simple("String", null);
  TypeRef INTEGER = new Simple("Integer", null);
  TypeRef NUMBER = new Simple("Double", null);
  TypeRef BOOLEAN = new Simple("Boolean", null);
  TypeRef DATE_TIME = new Simple("OffsetDateTime", "java.time.OffsetDateTime");
  TypeRef ANY = new Simple("JsonNode", "tools.jackson.databind.JsonNode");
}

/** One property of an object type. */
record PropDef(
    String jsonName, String javaName, TypeRef type, String description, List<String> constraints) {
  boolean sameShape(PropDef o) {
    return jsonName.equals(o.jsonName) && type.equals(o.type);
  }
}

/** A class or an enum to write. */
sealed interface TypeDef permits ObjectDef, EnumDef {
  String name();

  String description();

  String source();
}

/** An object type: a message or a nested type. */
final class ObjectDef implements TypeDef {
  final String name;
  String description;
  final String source;
  final Map<String, PropDef> props = new LinkedHashMap<>();
  final Set<String> required = new LinkedHashSet<>();
  boolean open;
  boolean resolved;

  ObjectDef(String name, String description, String source) {
    this.name = name;
    this.description = description;
    this.source = source;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String source() {
    return source;
  }
}

/** An enumeration of strings. */
record EnumDef(String name, String description, String source, List<String> values)
    implements TypeDef {}

/** What the schemas of one version define. */
final class Model {
  /** An action and the classes of its messages. */
  static final class Action {
    final String name;
    String request;
    String response;
    boolean send;
    String description;

    Action(String name) {
      this.name = name;
    }
  }

  final OcppSchemaGenerator.VersionSpec spec;
  final Map<String, TypeDef> types = new TreeMap<>();
  final Map<String, Action> actions = new TreeMap<>();
  private final JsonMapper json = JsonMapper.builder().build();

  Model(OcppSchemaGenerator.VersionSpec spec) {
    this.spec = spec;
  }

  void load(Path schemas) throws IOException {
    for (String dir : spec.dirs()) {
      List<Path> files;
      try (Stream<Path> s = Files.list(schemas.resolve(dir))) {
        files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      }
      for (Path file : files) {
        loadMessage(dir + "/" + file.getFileName(), json.readTree(file.toFile()));
      }
    }
    for (Action a : actions.values()) {
      if (!a.send && (a.request == null || a.response == null)) {
        throw new IllegalStateException(spec.label() + " action " + a.name + " lacks a request or a response schema");
      }
    }
  }

  private void loadMessage(String source, JsonNode root) {
    String base = source.substring(source.lastIndexOf('/') + 1, source.length() - ".json".length());
    String className;
    String actionName;
    int role; // 0 request, 1 response, 2 send
    if (base.endsWith("Response")) {
      className = base;
      actionName = base.substring(0, base.length() - "Response".length());
      role = 1;
    } else if (spec.inlineTypes()) {
      className = base + "Request";
      actionName = base;
      role = 0;
    } else if (base.endsWith("Request")) {
      className = base;
      actionName = base.substring(0, base.length() - "Request".length());
      role = 0;
    } else {
      className = base;
      actionName = base;
      role = 2;
    }
    Action action = actions.computeIfAbsent(actionName, Action::new);
    switch (role) {
      case 0 -> action.request = className;
      case 1 -> action.response = className;
      default -> {
        action.request = className;
        action.send = true;
      }
    }
    if (role != 1 && action.description == null) {
      action.description = text(root.get("description"));
    }
    Context ctx = new Context(source, root.path("definitions"));
    if (types.containsKey(className)) {
      throw new IllegalStateException("two schemas define the message " + className);
    }
    ObjectDef message = new ObjectDef(className, text(root.get("description")), source);
    types.put(className, message);
    fillObject(message, root, ctx);
  }

  /** Where a schema fragment comes from, for its local {@code #/definitions} references. */
  record Context(String source, JsonNode definitions) {}

  private void fillObject(ObjectDef def, JsonNode schema, Context ctx) {
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      TypeRef type = resolve(e.getValue(), ctx, def.name, e.getKey());
      def.props.put(
          e.getKey(),
          new PropDef(
              e.getKey(),
              Names.javaIdentifier(e.getKey()),
              type,
              text(e.getValue().get("description")),
              constraints(e.getValue())));
    }
    for (JsonNode r : schema.path("required")) {
      def.required.add(r.asString());
    }
    JsonNode additional = schema.get("additionalProperties");
    def.open = additional == null || !additional.isBoolean() || additional.booleanValue();
    def.resolved = true;
  }

  private TypeRef resolve(JsonNode schema, Context ctx, String container, String property) {
    JsonNode ref = schema.get("$ref");
    if (ref != null) {
      String pointer = ref.asString();
      String prefix = "#/definitions/";
      if (!pointer.startsWith(prefix)) {
        throw new IllegalStateException(ctx.source() + ": unsupported $ref " + pointer);
      }
      String defName = pointer.substring(prefix.length());
      JsonNode def = ctx.definitions().get(defName);
      if (def == null) {
        throw new IllegalStateException(ctx.source() + ": no definition " + defName);
      }
      String name =
          def.has("javaType")
              ? def.get("javaType").asString()
              : defName.endsWith("Type") ? defName.substring(0, defName.length() - 4) : defName;
      return define(name, def, ctx);
    }
    if (schema.has("enum")) {
      String key = container + "." + property;
      String name = Naming16.ENUMS.get(key);
      if (name == null) {
        throw new IllegalStateException(
            ctx.source() + ": the inline enumeration " + key + " has no name; add it to Naming16.ENUMS");
      }
      return define(name, schema, ctx);
    }
    String type = schema.path("type").asString(null);
    if (type == null) {
      return TypeRef.ANY;
    }
    return switch (type) {
      case "object" -> {
        if (!schema.has("properties")) {
          yield TypeRef.ANY;
        }
        String name = Naming16.OBJECTS.get(property);
        if (name == null) {
          throw new IllegalStateException(
              ctx.source() + ": the inline object " + container + "." + property
                  + " has no name; add it to Naming16.OBJECTS");
        }
        yield define(name, schema, ctx);
      }
      case "array" -> new TypeRef.ListOf(resolve(schema.path("items"), ctx, container, property));
      case "string" -> "date-time".equals(schema.path("format").asString(null)) ? TypeRef.DATE_TIME : TypeRef.STRING;
      case "integer" -> TypeRef.INTEGER;
      case "number" ->
          spec.inlineTypes() && Naming16.INTEGERS.contains(container + "." + property)
              ? TypeRef.INTEGER
              : TypeRef.NUMBER;
      case "boolean" -> TypeRef.BOOLEAN;
      default -> throw new IllegalStateException(ctx.source() + ": unsupported type " + type);
    };
  }

  /** Defines (or merges into) the named type {@code schema} describes. */
  private TypeRef define(String name, JsonNode schema, Context ctx) {
    TypeDef existing = types.get(name);
    if (schema.has("enum")) {
      List<String> values = new ArrayList<>();
      for (JsonNode v : schema.get("enum")) {
        values.add(v.asString());
      }
      EnumDef def = new EnumDef(name, text(schema.get("description")), ctx.source(), values);
      if (existing == null) {
        types.put(name, def);
      } else if (!(existing instanceof EnumDef e) || !new LinkedHashSet<>(e.values()).equals(new LinkedHashSet<>(values))) {
        throw new IllegalStateException(
            ctx.source() + ": " + name + " differs from its definition in " + existing.source());
      }
      return new TypeRef.Named(name);
    }
    if (existing == null) {
      ObjectDef def = new ObjectDef(name, text(schema.get("description")), ctx.source());
      types.put(name, def);
      fillObject(def, schema, ctx);
      return new TypeRef.Named(name);
    }
    if (!(existing instanceof ObjectDef known)) {
      throw new IllegalStateException(ctx.source() + ": " + name + " is an enumeration elsewhere");
    }
    if (!known.resolved) {
      return new TypeRef.Named(name); // a type that refers to itself
    }
    // The same type again (2.x repeats definitions per file; 1.6 repeats them inline): merge.
    ObjectDef again = new ObjectDef(name, text(schema.get("description")), ctx.source());
    fillObject(again, schema, ctx);
    for (PropDef p : again.props.values()) {
      PropDef had = known.props.get(p.jsonName());
      if (had == null) {
        known.props.put(p.jsonName(), p);
      } else if (!had.sameShape(p)) {
        throw new IllegalStateException(
            ctx.source() + ": " + name + "." + p.jsonName() + " has another type than in " + known.source);
      }
    }
    // A field is required only where every occurrence requires it.
    known.required.retainAll(again.required);
    known.open |= again.open;
    if (known.description == null) {
      known.description = again.description;
    }
    return new TypeRef.Named(name);
  }

  private static List<String> constraints(JsonNode s) {
    List<String> c = new ArrayList<>();
    for (String k : List.of("maxLength", "minimum", "maximum", "multipleOf", "minItems", "maxItems", "format", "default")) {
      if (s.has(k)) {
        JsonNode v = s.get(k);
        c.add(k + " " + (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) ? String.valueOf((long) v.asDouble()) : v.asString()));
      }
    }
    JsonNode items = s.get("items");
    if (items != null && items.has("maxLength")) {
      c.add("items maxLength " + items.get("maxLength").asString());
    }
    return c;
  }

  private static String text(JsonNode n) {
    return n == null || !n.isString() ? null : n.asString();
  }
}

/** Java names from JSON names. */
final class Names {
  private static final Set<String> RESERVED =
      Set.of(
          "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
          "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
          "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface",
          "long", "native", "new", "package", "private", "protected", "public", "return", "short",
          "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
          "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "record",
          "yield", "sealed", "permits",
          // methods every generated class has
          "ocppAction", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait",
          "clone", "finalize", "additionalProperties", "additionalProperty");

  private static final Pattern LOWER_UPPER = Pattern.compile("([a-z0-9])([A-Z])");
  private static final Pattern UPPER_UPPER_LOWER = Pattern.compile("([A-Z])([A-Z][a-z])");

  private Names() {}

  static String javaIdentifier(String jsonName) {
    String id = jsonName.replaceAll("[^A-Za-z0-9_$]", "_");
    if (id.isEmpty() || Character.isDigit(id.charAt(0))) {
      id = "_" + id;
    }
    return RESERVED.contains(id) ? id + "_" : id;
  }

  /** {@code PowerUp} to {@code POWER_UP}, {@code L1-N} to {@code L1_N}, {@code kWh} to {@code K_WH}. */
  static String constant(String value) {
    String s = value.replaceAll("[^A-Za-z0-9]+", "_");
    s = LOWER_UPPER.matcher(s).replaceAll("$1_$2");
    s = UPPER_UPPER_LOWER.matcher(s).replaceAll("$1_$2");
    s = s.toUpperCase(Locale.ROOT).replaceAll("_+", "_").replaceAll("^_|_$", "");
    if (s.isEmpty()) {
      s = "EMPTY";
    }
    return Character.isDigit(s.charAt(0)) ? "_" + s : s;
  }

  static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}

/** Writes a version's package. */
final class Writer {
  private final Model model;
  private final Path dir;
  private final String pkg;

  Writer(Model model, Path out) {
    this.model = model;
    this.pkg = model.spec.javaPackage();
    this.dir = out.resolve(pkg.replace('.', '/'));
  }

  int writeAll() throws IOException {
    Files.createDirectories(dir);
    int n = 0;
    Map<String, Model.Action> byClass = new TreeMap<>();
    for (Model.Action a : model.actions.values()) {
      byClass.put(a.request, a);
    }
    for (TypeDef t : model.types.values()) {
      String src = t instanceof EnumDef e ? enumSource(e) : objectSource((ObjectDef) t, byClass.get(t.name()));
      write(t.name(), src);
      n++;
    }
    write(model.spec.descriptor(), descriptorSource());
    write("package-info", packageInfo());
    return n + 2;
  }

  private void write(String name, String source) throws IOException {
    Path file = dir.resolve(name + ".java");
    // Unchanged files keep their timestamps, so the compiler's incremental check stays quiet.
    if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(source)) {
      return;
    }
    Files.writeString(file, source, StandardCharsets.UTF_8);
  }

  private String header() {
    return "// Generated by src/build/java/OcppSchemaGenerator.java from the OCA schemas; do not edit.\n"
        + "package " + pkg + ";\n\n";
  }

  private String packageInfo() {
    return "// Generated by src/build/java/OcppSchemaGenerator.java; do not edit.\n"
        + "/**\n * OCPP " + model.spec.label() + " messages, generated from the Open Charge Alliance's JSON schemas"
        + " ({@code schemas/" + String.join("}, {@code schemas/", model.spec.dirs()) + "}).\n"
        + " * {@link " + pkg + "." + model.spec.descriptor() + "} lists the actions.\n */\n"
        + "package " + pkg + ";\n";
  }

  private String enumSource(EnumDef e) {
    StringBuilder b = new StringBuilder(header());
    b.append("import com.fasterxml.jackson.annotation.JsonCreator;\n");
    b.append("import com.fasterxml.jackson.annotation.JsonValue;\n\n");
    b.append(Javadoc.of(e.description(), "", List.of("OCPP " + model.spec.label() + " enumeration, from {@code " + e.source() + "}.")));
    b.append("public enum ").append(e.name()).append(" {\n");
    Set<String> used = new LinkedHashSet<>();
    for (int i = 0; i < e.values().size(); i++) {
      String value = e.values().get(i);
      String constant = Names.constant(value);
      while (!used.add(constant)) {
        constant = constant + "_";
      }
      b.append("  /** {@code ").append(Javadoc.escape(value)).append("} */\n");
      b.append("  ").append(constant).append("(\"").append(Strings.java(value)).append("\")");
      b.append(i == e.values().size() - 1 ? ";\n\n" : ",\n");
    }
    b.append("  private final String value;\n\n");
    b.append("  ").append(e.name()).append("(String value) {\n    this.value = value;\n  }\n\n");
    b.append("  /** The value as it is spelled on the wire. */\n");
    b.append("  @JsonValue\n  public String value() {\n    return value;\n  }\n\n");
    b.append("  /**\n   * The constant spelled {@code value} on the wire.\n   *\n");
    b.append("   * @throws IllegalArgumentException if no constant has that spelling\n   */\n");
    b.append("  @JsonCreator\n  public static ").append(e.name()).append(" fromValue(String value) {\n");
    b.append("    for (").append(e.name()).append(" c : values()) {\n");
    b.append("      if (c.value.equals(value)) {\n        return c;\n      }\n    }\n");
    b.append("    throw new IllegalArgumentException(\"not a ").append(e.name()).append(": \" + value);\n  }\n\n");
    b.append("  @Override\n  public String toString() {\n    return value;\n  }\n}\n");
    return b.toString();
  }

  private String objectSource(ObjectDef o, Model.Action action) {
    boolean message = action != null && !action.send;
    List<PropDef> props = new ArrayList<>(o.props.values());
    List<PropDef> required = props.stream().filter(p -> o.required.contains(p.jsonName())).toList();
    Set<String> imports = new java.util.TreeSet<>();
    imports.add("com.fasterxml.jackson.annotation.JsonAutoDetect");
    imports.add("com.fasterxml.jackson.annotation.JsonInclude");
    imports.add("com.fasterxml.jackson.annotation.JsonProperty");
    imports.add("com.fasterxml.jackson.annotation.JsonPropertyOrder");
    imports.add("java.util.Objects");
    if (!required.isEmpty()) {
      imports.add("com.fasterxml.jackson.annotation.JsonCreator");
    }
    for (PropDef p : props) {
      addImports(p.type(), imports);
    }
    if (o.open) {
      imports.add("com.fasterxml.jackson.annotation.JsonAnyGetter");
      imports.add("com.fasterxml.jackson.annotation.JsonAnySetter");
      imports.add("java.util.Collections");
      imports.add("java.util.LinkedHashMap");
      imports.add("java.util.Map");
      imports.add("tools.jackson.databind.JsonNode");
    }
    if (message) {
      imports.add("dev.ocppj.client.OcppAction");
      imports.add("dev.ocppj.client.OcppRequest");
    }
    StringBuilder b = new StringBuilder(header());
    for (String i : imports) {
      b.append("import ").append(i).append(";\n");
    }
    b.append('\n');
    List<String> notes = new ArrayList<>();
    if (action != null) {
      notes.add(
          (action.send ? "The OCPP " + model.spec.label() + " SEND message {@code " : "The OCPP " + model.spec.label() + " {@code ")
              + action.name + "} " + (action.send ? "(unconfirmed; no response)" : "request; answered by {@link " + action.response + "}")
              + ", from {@code " + o.source() + "}.");
    } else if (o.name().endsWith("Response") && model.actions.containsKey(o.name().substring(0, o.name().length() - 8))) {
      notes.add("The OCPP " + model.spec.label() + " {@code " + o.name().substring(0, o.name().length() - 8) + "} response, from {@code " + o.source() + "}.");
    } else {
      notes.add("OCPP " + model.spec.label() + " type, from {@code " + o.source() + "}.");
    }
    if (o.open) {
      notes.add("Properties the schema does not name (vendor data) are kept in {@link #additionalProperties()} and written back out.");
    }
    b.append(Javadoc.of(o.description(), "", notes));
    b.append("@JsonInclude(JsonInclude.Include.NON_NULL)\n");
    b.append("@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,\n");
    b.append("    isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)\n");
    b.append("@JsonPropertyOrder({");
    for (int i = 0; i < props.size(); i++) {
      b.append(i == 0 ? "" : ", ").append('"').append(props.get(i).jsonName()).append('"');
    }
    b.append("})\n");
    b.append("public final class ").append(o.name());
    if (message) {
      b.append(" implements OcppRequest<").append(action.response).append(">");
    }
    b.append(" {\n");
    for (PropDef p : props) {
      // required = true marks what the schema requires; RpcCodec.read enforces it on every read.
      b.append("  @JsonProperty(")
          .append(o.required.contains(p.jsonName()) ? "value = \"" + p.jsonName() + "\", required = true" : "\"" + p.jsonName() + "\"")
          .append(")\n");
      if (p.type() instanceof TypeRef.ListOf) {
        b.append("  @JsonInclude(JsonInclude.Include.NON_EMPTY)\n");
      }
      b.append("  private ").append(p.type().java()).append(' ').append(p.javaName()).append(";\n\n");
    }
    if (o.open) {
      b.append("  @JsonAnySetter\n  @JsonAnyGetter\n");
      b.append("  private final Map<String, JsonNode> additionalProperties = new LinkedHashMap<>();\n\n");
    }
    // Constructors.
    b.append("  /** Creates an empty instance").append(required.isEmpty() ? "" : "; set at least the required properties").append(". */\n");
    b.append("  public ").append(o.name()).append("() {}\n\n");
    if (!required.isEmpty()) {
      b.append("  /**\n   * Creates an instance with its required properties.\n   *\n");
      for (PropDef p : required) {
        b.append("   * @param ").append(p.javaName()).append(' ').append(Javadoc.summary(p.description(), p.jsonName())).append('\n');
      }
      b.append("   */\n");
      b.append("  @JsonCreator(mode = JsonCreator.Mode.DISABLED)\n");
      b.append("  public ").append(o.name()).append('(');
      for (int i = 0; i < required.size(); i++) {
        PropDef p = required.get(i);
        b.append(i == 0 ? "" : ", ").append(p.type().java()).append(' ').append(p.javaName());
      }
      b.append(") {\n");
      for (PropDef p : required) {
        b.append("    this.").append(p.javaName()).append(" = ").append(p.javaName()).append(";\n");
      }
      b.append("  }\n\n");
    }
    // Accessors and fluent setters.
    for (PropDef p : props) {
      boolean req = o.required.contains(p.jsonName());
      List<String> facts = new ArrayList<>();
      facts.add(req ? "Required." : "Optional; null when absent.");
      if (!p.constraints().isEmpty()) {
        facts.add("Schema: " + String.join(", ", p.constraints()) + ".");
      }
      String fallback =
          "The {@code " + p.jsonName() + "} property"
              + (p.type() instanceof TypeRef.Named n ? ": see {@link " + n.java() + "}." : ".");
      b.append(Javadoc.indent(Javadoc.of(p.description(), fallback, facts)));
      b.append("  public ").append(p.type().java()).append(' ').append(p.javaName()).append("() {\n");
      b.append("    return ").append(p.javaName()).append(";\n  }\n\n");
      b.append("  /** Sets {@link #").append(p.javaName()).append("()} and returns this instance. */\n");
      b.append("  public ").append(o.name()).append(' ').append(p.javaName()).append('(').append(p.type().java()).append(' ').append(p.javaName()).append(") {\n");
      b.append("    this.").append(p.javaName()).append(" = ").append(p.javaName()).append(";\n    return this;\n  }\n\n");
      if (p.type() instanceof TypeRef.ListOf list) {
        b.append("  /** Sets {@link #").append(p.javaName()).append("()} to these elements and returns this instance. */\n");
        b.append("  public ").append(o.name()).append(' ').append(p.javaName()).append('(').append(list.element().java()).append("... ").append(p.javaName()).append(") {\n");
        b.append("    this.").append(p.javaName()).append(" = List.of(").append(p.javaName()).append(");\n    return this;\n  }\n\n");
      }
    }
    if (o.open) {
      b.append("  /** Properties the schema does not name, such as vendor data in {@code customData}; read-only view. */\n");
      b.append("  public Map<String, JsonNode> additionalProperties() {\n");
      b.append("    return Collections.unmodifiableMap(additionalProperties);\n  }\n\n");
      b.append("  /** Adds (or replaces) a property the schema does not name and returns this instance. */\n");
      b.append("  public ").append(o.name()).append(" additionalProperty(String name, JsonNode value) {\n");
      b.append("    additionalProperties.put(Objects.requireNonNull(name, \"name\"), value);\n    return this;\n  }\n\n");
    }
    if (message) {
      b.append("  @Override\n  public OcppAction<").append(o.name()).append(", ").append(action.response).append("> ocppAction() {\n");
      b.append("    return ").append(model.spec.descriptor()).append('.').append(Names.constant(action.name)).append(";\n  }\n\n");
    }
    // equals, hashCode, toString.
    List<String> fields = new ArrayList<>();
    for (PropDef p : props) {
      fields.add(p.javaName());
    }
    if (o.open) {
      fields.add("additionalProperties");
    }
    b.append("  @Override\n  public boolean equals(Object o) {\n");
    b.append("    if (this == o) {\n      return true;\n    }\n");
    if (fields.isEmpty()) {
      b.append("    return o instanceof ").append(o.name()).append(";\n  }\n\n");
    } else {
      b.append("    if (!(o instanceof ").append(o.name()).append(" other)) {\n      return false;\n    }\n");
      b.append("    return ");
      for (int i = 0; i < fields.size(); i++) {
        b.append(i == 0 ? "" : "\n        && ").append("Objects.equals(").append(fields.get(i)).append(", other.").append(fields.get(i)).append(')');
      }
      b.append(";\n  }\n\n");
    }
    b.append("  @Override\n  public int hashCode() {\n    return ");
    b.append(fields.isEmpty() ? o.name().hashCode() + "" : "Objects.hash(" + String.join(", ", fields) + ")");
    b.append(";\n  }\n\n");
    b.append("  @Override\n  public String toString() {\n");
    b.append("    StringBuilder b = new StringBuilder(\"").append(o.name()).append("{\");\n");
    for (String f : fields) {
      b.append("    if (").append(f).append(" != null").append(f.equals("additionalProperties") ? " && !additionalProperties.isEmpty()" : "").append(") {\n");
      b.append("      b.append(b.length() > ").append(o.name().length() + 1).append(" ? \", \" : \"\").append(\"").append(f).append("=\").append(").append(f).append(");\n    }\n");
    }
    b.append("    return b.append('}').toString();\n  }\n}\n");
    return b.toString();
  }

  private static void addImports(TypeRef t, Set<String> imports) {
    if (t instanceof TypeRef.Simple s && s.importName() != null) {
      imports.add(s.importName());
    } else if (t instanceof TypeRef.ListOf l) {
      imports.add("java.util.List");
      addImports(l.element(), imports);
    }
  }

  private String descriptorSource() {
    StringBuilder b = new StringBuilder(header());
    b.append("import dev.ocppj.client.OcppAction;\nimport dev.ocppj.client.OcppVersion;\nimport java.util.List;\n\n");
    b.append("/**\n * The OCPP ").append(model.spec.label()).append(" actions: one descriptor per action, carrying its request and response types,\n");
    b.append(" * for {@code OcppClient.call(action, request)} and {@code OcppClient.handle(action, handler)}.\n */\n");
    b.append("public final class ").append(model.spec.descriptor()).append(" {\n");
    b.append("  private ").append(model.spec.descriptor()).append("() {}\n\n");
    List<String> constants = new ArrayList<>();
    for (Model.Action a : model.actions.values()) {
      String constant = Names.constant(a.name);
      constants.add(constant);
      if (a.send) {
        b.append("  /** {@code ").append(a.name).append("}: a SEND message ({@link ").append(a.request).append("}), never answered. */\n");
        b.append("  public static final OcppAction<").append(a.request).append(", Void> ").append(constant);
        b.append(" =\n      OcppAction.send(OcppVersion.").append(model.spec.versionConstant()).append(", \"").append(a.name).append("\", ")
            .append(a.request).append(".class);\n\n");
      } else {
        b.append("  /** {@code ").append(a.name).append("}: {@link ").append(a.request).append("} answered by {@link ").append(a.response).append("}. */\n");
        b.append("  public static final OcppAction<").append(a.request).append(", ").append(a.response).append("> ").append(constant);
        b.append(" =\n      OcppAction.of(OcppVersion.").append(model.spec.versionConstant()).append(", \"").append(a.name).append("\", ")
            .append(a.request).append(".class, ").append(a.response).append(".class);\n\n");
      }
    }
    b.append("  /** Every action of OCPP ").append(model.spec.label()).append(", by name. */\n");
    b.append("  public static final List<OcppAction<?, ?>> ACTIONS =\n      List.of(\n");
    for (int i = 0; i < constants.size(); i++) {
      b.append("          ").append(constants.get(i)).append(i == constants.size() - 1 ? ");\n" : ",\n");
    }
    b.append("}\n");
    return b.toString();
  }
}

/** Javadoc from schema descriptions: OCA text, escaped, with the data-element line moved last. */
final class Javadoc {
  private Javadoc() {}

  static String of(String description, String fallback, List<String> notes) {
    List<String> paragraphs = new ArrayList<>();
    String element = description == null ? null : element(description);
    if (description != null) {
      String text = bodyText(description);
      if (!text.isEmpty()) {
        paragraphs.add(escape(text));
      }
    }
    if (paragraphs.isEmpty() && !fallback.isEmpty()) {
      paragraphs.add(fallback);
    }
    paragraphs.addAll(notes);
    if (element != null) {
      paragraphs.add("OCA data element: {@code " + escape(element) + "}.");
    }
    StringBuilder b = new StringBuilder("/**\n");
    for (int i = 0; i < paragraphs.size(); i++) {
      if (i > 0) {
        b.append(" *\n");
      }
      wrap(b, (i > 0 ? "<p>" : "") + paragraphs.get(i));
    }
    return b.append(" */\n").toString();
  }

  /** A one-line summary for {@code @param}: the description's text, or a fallback. */
  static String summary(String description, String jsonName) {
    String text = description == null ? null : bodyText(description);
    return text == null || text.isEmpty() ? "the {@code " + jsonName + "} property" : escape(text);
  }

  /**
   * The OCA data element a description names: the line just before its {@code urn:x-oca:} line
   * (for example {@code Meter_ Value. Timestamp. Date_ Time}), or null.
   */
  private static String element(String description) {
    List<String> lines = lines(description);
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i + 1).startsWith("urn:x-oca:") && !lines.get(i).startsWith("urn:x-oca:")) {
        return lines.get(i);
      }
    }
    return null;
  }

  private static String bodyText(String description) {
    List<String> lines = lines(description);
    String element = element(description);
    StringBuilder text = new StringBuilder();
    for (String l : lines) {
      if (l.startsWith("urn:x-oca:") || l.equals(element)) {
        continue;
      }
      text.append(text.length() == 0 ? "" : " ").append(l);
    }
    return unescapeEntities(text.toString());
  }

  private static List<String> lines(String description) {
    List<String> lines = new ArrayList<>();
    for (String line : description.replace("\r", "").split("\n")) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines;
  }

  static String indent(String javadoc) {
    return javadoc.lines().map(l -> "  " + l).reduce("", (a, l) -> a + l + "\n");
  }

  private static void wrap(StringBuilder b, String text) {
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + word.length() > 95) {
        b.append(" * ").append(line).append('\n');
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(word);
    }
    if (line.length() > 0) {
      b.append(" * ").append(line).append('\n');
    }
  }

  private static String unescapeEntities(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }

  /** Escapes text for a Javadoc comment: HTML, tags, comment ends and unicode escapes. */
  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("@", "&#64;")
        .replace("*/", "*&#47;")
        .replace("\\", "&#92;")
        .replace("{", "&#123;")
        .replace("}", "&#125;");
  }
}

/** Java string literal escaping. */
final class Strings {
  private Strings() {}

  static String java(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
