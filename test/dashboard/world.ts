/**
 * The small school the dashboard's tests use: one person of each type, three children,
 * groups, families and a fixed clock, so that pages (and their screenshots) come out
 * the same on every run. Ana has data in the last 30 days; Carla belongs to another
 * school and to nobody's group.
 */
import { type TestApp } from "../harness.ts";
import { type ChildDataPlan, storeChildData } from "./data.ts";

/** The tests' "now": 10 March 2026, noon UTC. */
export const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);

/** Ana's data: chosen days (0 = today) within the last 30, so bar counts are known. */
export const ANA_PLAN: ChildDataPlan = {
  stepDays: [0, 1, 2, 3, 5, 6, 8, 10, 13, 17, 21, 27],
  activeDays: [0, 1, 3, 5, 8, 13, 17, 21, 29],
  sleepDays: [0, 1, 2, 4, 6, 9, 15],
  walkDays: [0, 2, 6],
  weighDays: [3, 40, 95, 160, 220, 300],
  environmentHours: 7 * 24,
};

/** Carla's data (another school): something to be refused, not an empty page. */
const CARLA_PLAN: ChildDataPlan = {
  stepDays: [0, 1],
  activeDays: [0],
  sleepDays: [0],
  walkDays: [],
  weighDays: [],
  environmentHours: 0,
};

export interface World {
  school: { id: string; name: string };
  otherSchool: { id: string; name: string };
  ana: { id: string; username: string };
  bruno: { id: string; username: string };
  carla: { id: string; username: string };
  admin: { id: string; username: string };
  educator: { id: string; username: string };
  healthProfessional: { id: string; username: string };
  family: { id: string; username: string };
  application: { id: string; username: string };
}

/** Builds the world in a fresh test app (its clock is set to `NOW`). */
export async function buildWorld(t: TestApp): Promise<World> {
  t.clock.time = NOW;
  const school = await t.createInstitution({ name: "Escola Básica do Parque", type: "School" });
  const otherSchool = await t.createInstitution({ name: "Escola do Rio", type: "School" });
  const child = (username: string, institutionId: string, gender: string, age: string) =>
    t.createUser("child", {
      username,
      institutionId,
      gender,
      age,
      ageCalcDate: "2025-09-01",
    });
  const ana = await child("ana", school.id, "female", "9");
  const bruno = await child("bruno", school.id, "male", "10");
  const carla = await child("carla", otherSchool.id, "female", "9");
  const admin = await t.createUser("admin", { username: "dash-admin" });
  const educator = await t.createUser("educator", {
    username: "ms.silva",
    institutionId: school.id,
  });
  const healthProfessional = await t.createUser("healthprofessional", {
    username: "dr.costa",
    institutionId: school.id,
  });
  const family = await t.createUser("family", {
    username: "family.lima",
    institutionId: school.id,
  });
  const application = await t.createUser("application", {
    username: "school-app",
    institutionId: school.id,
    applicationName: "School uploader",
  });
  await t.createGroup(educator.id, [ana.id, bruno.id], "Class 4A");
  await t.createGroup(healthProfessional.id, [ana.id], "Growth check");
  await t.linkFamily(family.id, [ana.id]);

  const token = await t.tokenFor(application);
  await storeChildData(t, token, { id: ana.id, institutionId: school.id }, NOW, ANA_PLAN);
  await storeChildData(t, token, { id: carla.id, institutionId: otherSchool.id }, NOW, CARLA_PLAN);
  return {
    school: { id: school.id, name: school.name },
    otherSchool: { id: otherSchool.id, name: otherSchool.name },
    ana,
    bruno,
    carla,
    admin,
    educator,
    healthProfessional,
    family,
    application,
  };
}
