/**
 * What a child's page shows, read through the API as the signed-in user: the profile
 * first (a refusal there is the page's answer: 403, 404), then, at once, the daily
 * logs, sleep, weights, body fats, recent activities, the institution's environment
 * readings and the wearable connection. Any refusal among them (an educator whose
 * groups do not hold the child may read the profile, not the data) ends the page too.
 */
import type { WearableStatus } from "../wearables/wearables.schemas.ts";
import type { Api } from "./api.ts";
import { DAY_MS, isoDay, lastDays } from "./scale.ts";
import type { UserView } from "./users.ts";

/** Days of the activity and sleep charts. */
export const RECENT_DAYS = 30;
/** Days of the weight and body fat trend. */
export const TREND_DAYS = 365;
/** Days of environment readings. */
export const ENVIRONMENT_DAYS = 7;
/** Rows of the activity table. */
export const RECENT_ACTIVITIES = 10;
/** Upper bounds on what one list call returns (the ranges above stay well below them). */
const LIST_LIMIT = { sleep: 200, measurements: 2000, environments: 5000 };

/** `{date, value}` of a daily log. */
export interface LogDay {
  date: string;
  value: number;
}

/** The API's daily logs of a range (one entry per day). */
export interface Logs {
  steps: LogDay[];
  active_minutes: LogDay[];
}

/** A sleep record as listed. */
export interface SleepView {
  id: string;
  start_time: string;
  end_time: string;
  type: string;
  pattern?: { summary?: Record<string, { count: number; duration: number }> };
}

/** A weight or body fat as listed. */
export interface MeasurementView {
  timestamp: string;
  value: number;
  unit: string;
}

/** A physical activity as listed. */
export interface ActivityView {
  id: string;
  start_time: string;
  duration: number;
  name: string;
  calories?: number;
  steps?: number;
  distance?: number;
}

/** An environment reading as listed. */
export interface EnvironmentView {
  timestamp: string;
  location?: { local?: string; room?: string };
  measurements: { type: string; value: number; unit: string }[];
}

/** The wearable connection as far as the signed-in user may know it. */
export interface WearableState {
  /** May the user manage it (read its status, connect, sync, revoke)? */
  manageable: boolean;
  /** The connection's status as the API reports it (`GET /v1/users/:id/wearable`), if readable. */
  connection?: WearableStatus;
  /** The provider new connections use, when the API names it. */
  activeProvider?: string;
  /** False when no provider is configured for new connections. */
  connectable: boolean;
}

/** Everything the page shows. */
export interface ChildData {
  profile: UserView;
  institutionName?: string;
  days: string[];
  logs: Logs;
  sleep: SleepView[];
  weights: MeasurementView[];
  bodyFats: MeasurementView[];
  activities: ActivityView[];
  environments: EnvironmentView[];
  wearable: WearableState;
  /** The time range of the trend and environment charts (epoch ms). */
  now: number;
}

/** Reads a child's page data as the API allows the session (throws its refusals). */
export async function loadChild(api: Api, childId: string, now: number): Promise<ChildData> {
  const child = `/v1/children/${encodeURIComponent(childId)}`;
  const { body: profile } = await api.get<UserView>(child);
  const days = lastDays(now, RECENT_DAYS);
  const institution = profile.institution_id && `/v1/institutions/${profile.institution_id}`;
  const [logs, sleep, weights, bodyFats, activities, environments, institutionName, wearable] =
    await Promise.all([
      api.get<Logs>(`${child}/logs/date/${days[0]}/${days[days.length - 1]}`),
      api.get<SleepView[]>(`${child}/sleep`, {
        end_time: `gte:${days[0]}`,
        sort: "start_time",
        limit: LIST_LIMIT.sleep,
      }),
      api.get<MeasurementView[]>(`${child}/weights`, {
        timestamp: `gte:${isoDay(now - TREND_DAYS * DAY_MS)}`,
        sort: "timestamp",
        limit: LIST_LIMIT.measurements,
      }),
      api.get<MeasurementView[]>(`${child}/bodyfats`, {
        timestamp: `gte:${isoDay(now - TREND_DAYS * DAY_MS)}`,
        sort: "timestamp",
        limit: LIST_LIMIT.measurements,
      }),
      api.get<ActivityView[]>(`${child}/physicalactivities`, {
        sort: "-start_time",
        limit: RECENT_ACTIVITIES,
      }),
      institution
        ? api.get<EnvironmentView[]>(`${institution}/environments`, {
          timestamp: `gte:${new Date(now - ENVIRONMENT_DAYS * DAY_MS).toISOString()}`,
          sort: "-timestamp",
          limit: LIST_LIMIT.environments,
        })
        : Promise.resolve({ body: [] as EnvironmentView[] }),
      institution
        ? api.call<{ name?: string }>("GET", institution).then((a) =>
          a.status === 200 ? a.body.name : undefined
        )
        : Promise.resolve(undefined),
      wearableState(api, childId),
    ]);
  return {
    profile,
    institutionName,
    days,
    logs: logs.body,
    sleep: sleep.body,
    weights: weights.body,
    bodyFats: bodyFats.body,
    activities: activities.body,
    environments: environments.body,
    wearable,
    now,
  };
}

/**
 * The connection as the wearable routes answer the session: its status (200 readable, 403
 * not the user's to manage; it never holds a token) and the platform's client
 * information (which provider connects new children).
 */
export async function wearableState(api: Api, childId: string): Promise<WearableState> {
  const [status, client] = await Promise.all([
    api.call<WearableStatus>("GET", `/v1/users/${encodeURIComponent(childId)}/wearable`),
    api.call<{ provider?: string }>("GET", "/v1/fitbit"),
  ]);
  return {
    manageable: status.status === 200,
    ...(status.status === 200 && { connection: status.body }),
    activeProvider: client.status === 200 ? client.body?.provider : undefined,
    connectable: client.status === 200,
  };
}
