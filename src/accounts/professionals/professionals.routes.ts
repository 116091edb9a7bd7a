import { self } from "../../access/rules.ts";
import { type Endpoint, named } from "../../api/endpoint.ts";
import { USER_FILTERS, userResourceEndpoints } from "../users/users.resource.ts";
import { EDUCATOR, HEALTH_PROFESSIONAL, type ProfessionalKind } from "./professionals.kinds.ts";
import { professionalSchema, professionalSchemas } from "./professionals.schemas.ts";
import {
  insertProfessional,
  professionalViews,
  updateProfessional,
} from "./professionals.store.ts";

const Professional = named("Professional", professionalSchema);

/** What differs between the two professional resources, besides the kind. */
interface ProfessionalRoutes {
  path: string;
  tag: string;
  names: { one: string; many: string; a: string; plural: string };
  ids: { create: string; list: string; get: string; update: string };
  scope: string;
}

function professionalEndpoints(kind: ProfessionalKind, routes: ProfessionalRoutes): Endpoint[] {
  const schemas = professionalSchemas(kind);
  return userResourceEndpoints({
    ...routes,
    type: kind.type,
    label: kind.label,
    idParam: kind.idParam,
    rules: { get: self, update: self },
    view: Professional,
    filters: USER_FILTERS,
    create: { name: `${routes.names.one}Create`, schema: schemas.create },
    update: {
      name: `${routes.names.one}Update`,
      schema: schemas.update({}),
      build: (params) => schemas.update(params),
    },
    references: (body) => ({ username: body.username, institutionId: body.institution_id }),
    insert: (tx, body, hash, now) => insertProfessional(tx, kind, body, hash, now),
    applyChanges: updateProfessional,
    views: professionalViews,
  });
}

/** `/v1/educators` (account.md §7, AC9–AC12). */
export const educatorEndpoints = professionalEndpoints(EDUCATOR, {
  path: "/v1/educators",
  tag: "Educators",
  names: { one: "Educator", many: "Educators", a: "an educator", plural: "educators" },
  ids: { create: "AC9", list: "AC10", get: "AC11", update: "AC12" },
  scope: "educators",
});

/** `/v1/healthprofessionals` (account.md §7, AC20–AC23). */
export const healthProfessionalEndpoints = professionalEndpoints(HEALTH_PROFESSIONAL, {
  path: "/v1/healthprofessionals",
  tag: "Health professionals",
  names: {
    one: "HealthProfessional",
    many: "HealthProfessionals",
    a: "a health professional",
    plural: "health professionals",
  },
  ids: { create: "AC20", list: "AC21", get: "AC22", update: "AC23" },
  scope: "healthprofessionals",
});
