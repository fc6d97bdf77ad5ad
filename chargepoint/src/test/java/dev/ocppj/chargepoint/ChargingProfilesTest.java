package dev.ocppj.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.chargepoint.ChargingProfiles.Period;
import dev.ocppj.chargepoint.ChargingProfiles.Purpose;
import dev.ocppj.chargepoint.ChargingProfiles.Schedule;
import dev.ocppj.testkit.TestCsms;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class ChargingProfilesTest {
  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-01-01T10:00:00Z");
  private static final double V = 230;

  private static ChargingProfiles.Profile profile(String json, int evse) {
    return ChargingProfiles.fromJson(TestCsms.json(json), evse);
  }

  @Test
  void noProfileMeansTheHardwareLimit() {
    Schedule s = new ChargingProfiles().composite(1, T0, 3600, "W", null, null, V, 3, 22_000);
    assertThat(s.periods()).containsExactly(new Period(0, 22_000, 3));
    assertThat(s.duration()).isEqualTo(3600);
  }

  @Test
  void highestStackLevelWinsAndAStationMaximumCapsIt() {
    ChargingProfiles p = new ChargingProfiles();
    // 1.6 spelling: a TxDefault of 16 A from 10:00, a higher stack level of 10 A from 10:30 to 11:00.
    p.add(profile("""
        {"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute",
         "chargingSchedule":{"startSchedule":"2026-01-01T10:00:00Z","chargingRateUnit":"A",
           "chargingSchedulePeriod":[{"startPeriod":0,"limit":16}]}}""", 1));
    p.add(profile("""
        {"chargingProfileId":2,"stackLevel":1,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute",
         "chargingSchedule":{"startSchedule":"2026-01-01T10:30:00Z","duration":1800,"chargingRateUnit":"A",
           "chargingSchedulePeriod":[{"startPeriod":0,"limit":10}]}}""", 1));
    Schedule amps = p.composite(1, T0, 7200, "A", null, null, V, 3, 22_000);
    assertThat(amps.periods()).containsExactly(new Period(0, 16, 3), new Period(1800, 10, 3), new Period(3600, 16, 3));

    // 2.x spelling: a station maximum of 8 kW on EVSE 0 caps everything.
    p.add(profile("""
        {"id":3,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute",
         "chargingSchedule":[{"id":1,"startSchedule":"2026-01-01T10:00:00Z","chargingRateUnit":"W",
           "chargingSchedulePeriod":[{"startPeriod":0,"limit":8000}]}]}""", 0));
    Schedule watts = p.composite(1, T0, 7200, "W", null, null, V, 3, 22_000);
    assertThat(watts.periods()).containsExactly(new Period(0, 8000, 3), new Period(1800, 6900, 3), new Period(3600, 8000, 3));
  }

  @Test
  void aTransactionsTxProfileOverridesTheDefaultsAndEndsWithIt() {
    ChargingProfiles p = new ChargingProfiles();
    p.add(profile("""
        {"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative",
         "chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":32}]}}""", 0));
    p.add(profile("""
        {"chargingProfileId":9,"transactionId":42,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative",
         "chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":6},{"startPeriod":600,"limit":12}]}}""", 1));
    assertThat(p.limitW(1, T0, "42", T0, V, 3, 22_000)).isEqualTo(6 * V * 3);
    assertThat(p.limitW(1, T0.plusSeconds(601), "42", T0, V, 3, 22_000)).isEqualTo(12 * V * 3);
    // Another transaction on that EVSE gets the station-wide default (capped by the hardware).
    assertThat(p.limitW(1, T0, "43", T0, V, 3, 22_000)).isEqualTo(22_000);
    p.transactionEnded("42");
    assertThat(p.profiles()).extracting(ChargingProfiles.Profile::id).containsExactly(1);
  }

  @Test
  void aRecurringDailyProfileRepeats() {
    ChargingProfiles p = new ChargingProfiles();
    p.add(profile("""
        {"chargingProfileId":5,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Recurring",
         "recurrencyKind":"Daily",
         "chargingSchedule":{"startSchedule":"2025-06-01T00:00:00Z","duration":86400,"chargingRateUnit":"W",
           "chargingSchedulePeriod":[{"startPeriod":0,"limit":11000},{"startPeriod":64800,"limit":3700}]}}""", 1));
    // 10:00 for 16 h: 11 kW until 18:00, 3.7 kW until midnight, 11 kW again after it.
    Schedule s = p.composite(1, T0, 16 * 3600, "W", null, null, V, 3, 22_000);
    assertThat(s.periods()).containsExactly(new Period(0, 11_000, 3), new Period(8 * 3600, 3700, 3), new Period(14 * 3600, 11_000, 3));
  }

  @Test
  void replacementByIdAndBySlotAndClearing() {
    ChargingProfiles p = new ChargingProfiles();
    String a = """
        {"id":%d,"stackLevel":%d,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative",
         "chargingSchedule":[{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":%d}]}]}""";
    p.add(profile(a.formatted(1, 0, 10), 1));
    p.add(profile(a.formatted(2, 1, 11), 1));
    p.add(profile(a.formatted(3, 1, 12), 1)); // same stack level, purpose and EVSE as 2: replaces it
    p.add(profile(a.formatted(1, 2, 13), 1)); // same id as 1: replaces it
    assertThat(p.profiles()).extracting(ChargingProfiles.Profile::id).containsExactlyInAnyOrder(3, 1);
    assertThat(p.clear(x -> x.purpose() == Purpose.TX_DEFAULT && x.stackLevel() == 2)).isEqualTo(1);
    assertThat(p.clear(x -> x.id() == 77)).isZero();
  }

  @Test
  void unreadableProfilesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> profile("{\"id\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\"}", 1))
        .hasMessage("missing chargingSchedule");
    assertThatThrownBy(() -> profile("""
        {"id":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute",
         "chargingSchedule":[{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":5,"limit":1}]}]}""", 1))
        .hasMessage("the first period must start at 0, not 5");
    assertThatThrownBy(() -> profile("""
        {"id":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Recurring",
         "chargingSchedule":[{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":1}]}]}""", 1))
        .hasMessage("a Recurring profile needs a recurrencyKind");
  }
}
