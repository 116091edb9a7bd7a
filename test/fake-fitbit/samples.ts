/** Fitbit records in the Web API's shapes (fitbit.md §5.3; values invented). */

/** An activity log, with an offset on its start time. */
export function activity(overrides: Record<string, unknown> = {}) {
  return {
    logId: 31000000001,
    activityName: "Walk",
    activityTypeId: 90013,
    logType: "auto_detected",
    startTime: "2020-09-01T10:00:00.000-03:00",
    originalStartTime: "2020-09-01T10:00:00.000-03:00",
    duration: 1800000,
    originalDuration: 1800000,
    activeDuration: 1800000,
    calories: 160,
    steps: 2900,
    distance: 2.1,
    distanceUnit: "Kilometer",
    averageHeartRate: 112,
    activityLevel: [
      { minutes: 5, name: "sedentary" },
      { minutes: 10, name: "lightly" },
      { minutes: 8, name: "fairly" },
      { minutes: 7, name: "very" },
    ],
    heartRateZones: [
      { name: "Out of Range", min: 30, max: 94, minutes: 3, caloriesOut: 12.1 },
      { name: "Fat Burn", min: 94, max: 131, minutes: 20, caloriesOut: 98.4 },
      { name: "Cardio", min: 131, max: 159, minutes: 7, caloriesOut: 49.5 },
      { name: "Peak", min: 159, max: 220, minutes: 0, caloriesOut: 0 },
    ],
    lastModified: "2020-09-01T13:45:00.000Z",
    ...overrides,
  };
}

/** A stages sleep log (local times, no offset). */
export function stagesSleep(overrides: Record<string, unknown> = {}) {
  return {
    logId: 26000000001,
    dateOfSleep: "2020-09-01",
    startTime: "2020-08-31T23:00:00.000",
    endTime: "2020-09-01T06:30:00.000",
    duration: 27000000,
    efficiency: 95,
    isMainSleep: true,
    infoCode: 0,
    logType: "auto_detected",
    type: "stages",
    minutesAsleep: 420,
    minutesAwake: 30,
    minutesAfterWakeup: 0,
    minutesToFallAsleep: 0,
    timeInBed: 450,
    levels: {
      data: [
        { dateTime: "2020-08-31T23:00:00.000", level: "wake", seconds: 600 },
        { dateTime: "2020-08-31T23:10:00.000", level: "light", seconds: 26400 },
      ],
      shortData: [{ dateTime: "2020-09-01T02:00:00.000", level: "wake", seconds: 60 }],
      summary: {
        deep: { count: 3, minutes: 90, thirtyDayAvgMinutes: 85 },
        light: { count: 20, minutes: 240, thirtyDayAvgMinutes: 230 },
        rem: { count: 5, minutes: 90, thirtyDayAvgMinutes: 95 },
        wake: { count: 18, minutes: 30, thirtyDayAvgMinutes: 40 },
      },
    },
    ...overrides,
  };
}

/** A classic sleep log. */
export function classicSleep(overrides: Record<string, unknown> = {}) {
  return {
    logId: 26000000002,
    dateOfSleep: "2020-08-20",
    startTime: "2020-08-19T22:00:00.000",
    endTime: "2020-08-20T06:00:00.000",
    duration: 28800000,
    type: "classic",
    levels: {
      data: [
        { dateTime: "2020-08-19T22:00:00.000", level: "awake", seconds: 300 },
        { dateTime: "2020-08-19T22:05:00.000", level: "asleep", seconds: 27000 },
        { dateTime: "2020-08-20T05:35:00.000", level: "restless", seconds: 1500 },
      ],
      summary: {
        asleep: { count: 0, minutes: 400 },
        awake: { count: 2, minutes: 5 },
        restless: { count: 10, minutes: 15 },
      },
    },
    ...overrides,
  };
}

/** A weight log with body fat. */
export function weight(overrides: Record<string, unknown> = {}) {
  return {
    logId: 1598000000000,
    date: "2020-08-20",
    time: "07:12:44",
    weight: 38.2,
    bmi: 17.85,
    fat: 18.5,
    source: "Aria",
    ...overrides,
  };
}
