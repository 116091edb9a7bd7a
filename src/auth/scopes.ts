/** The six user types (`sub_type` values). */
export const USER_TYPES = [
  "admin",
  "application",
  "child",
  "educator",
  "family",
  "healthprofessional",
] as const;

/** One of the six user types. */
export type UserType = (typeof USER_TYPES)[number];

const words = (list: string) => list.trim().split(/\s+/);

/**
 * The fixed scope list each user type's token carries, in the original's order
 * (account.md §2.2). Partner scopes are kept so tokens decode like the original's.
 */
export const SCOPES_BY_TYPE: Record<UserType, readonly string[]> = {
  admin: words(`
    users:delete users:resetPassword educators:create educators:read educators:readAll
    educators:update educators:delete families:create families:read families:readAll
    families:update families:delete children:create children:read children:readAll
    children:update children:delete healthprofessionals:create healthprofessionals:read
    healthprofessionals:readAll healthprofessionals:update healthprofessionals:delete
    applications:create applications:read applications:readAll applications:update
    applications:delete institutions:create institutions:read institutions:readAll
    institutions:update institutions:delete socioquest:read healthquest:read parentphyquest:read
    childrenphyquest:read habitsquest:read foodhabitsquest:read perceptionquest:read
    foodtracking:create foodtracking:read foodtracking:update foodtracking:delete
    physicalactivities:read sleep:read measurements:read environment:read missions:read
    gamificationprofile:read notifications:create notifications:read notifications:delete
    devices:create devices:read devices:delete socioquest:delete healthquest:delete
    parentphyquest:delete childrenphyquest:delete habitsquest:delete foodhabitsquest:delete
    perceptionquest:delete`),
  // `children:readAll` is left out on purpose: applications may not list all children
  // (contract README decision; the original documentation agrees).
  application: words(`
    applications:read institutions:read institutions:readAll physicalactivities:create
    physicalactivities:read physicalactivities:update physicalactivities:delete sleep:create
    sleep:read sleep:update sleep:delete measurements:create measurements:read
    measurements:delete environment:create environment:read environment:update
    environment:delete socioquest:read healthquest:read parentphyquest:read childrenphyquest:read
    habitsquest:read foodhabitsquest:create foodhabitsquest:read perceptionquest:read
    foodtracking:create foodtracking:read foodtracking:update foodtracking:delete missions:create
    missions:read missions:update missions:delete gamificationprofile:create
    gamificationprofile:read gamificationprofile:update gamificationprofile:delete external:sync`),
  child: words(`
    children:read institutions:read physicalactivities:create physicalactivities:read
    sleep:create sleep:read measurements:create measurements:read environment:read
    foodtracking:create foodtracking:read foodtracking:update foodtracking:delete missions:read
    gamificationprofile:read gamificationprofile:update external:sync notifications:create
    notifications:read notifications:delete`),
  educator: words(`
    children:read children:readAll educators:read educators:update childrengroups:create
    childrengroups:read childrengroups:update childrengroups:delete institutions:read
    institutions:readAll institutions:update physicalactivities:create physicalactivities:read
    physicalactivities:update physicalactivities:delete sleep:create sleep:read sleep:update
    sleep:delete measurements:create measurements:read measurements:delete environment:read
    childrenphyquest:read habitsquest:create habitsquest:read habitsquest:update
    foodhabitsquest:create foodhabitsquest:read foodhabitsquest:update perceptionquest:create
    perceptionquest:read perceptionquest:update foodtracking:create foodtracking:read
    foodtracking:update foodtracking:delete missions:create missions:read missions:update
    missions:delete gamificationprofile:create gamificationprofile:read
    gamificationprofile:update external:sync notifications:create notifications:read
    notifications:delete`),
  family: words(`
    children:read families:read families:update institutions:read physicalactivities:create
    physicalactivities:read physicalactivities:update physicalactivities:delete sleep:create
    sleep:read sleep:update sleep:delete measurements:create measurements:read
    measurements:delete environment:read socioquest:create socioquest:read socioquest:update
    healthquest:create healthquest:read healthquest:update parentphyquest:create
    parentphyquest:read parentphyquest:update childrenphyquest:read habitsquest:create
    habitsquest:read habitsquest:update foodhabitsquest:create foodhabitsquest:read
    foodhabitsquest:update perceptionquest:create perceptionquest:read perceptionquest:update
    foodtracking:create foodtracking:read foodtracking:update foodtracking:delete
    missions:create missions:read missions:update gamificationprofile:create
    gamificationprofile:read gamificationprofile:update external:sync notifications:create
    notifications:read notifications:delete socioquest:delete healthquest:delete
    parentphyquest:delete childrenphyquest:delete habitsquest:delete foodhabitsquest:delete
    perceptionquest:delete`),
  healthprofessional: words(`
    children:read children:readAll healthprofessionals:read healthprofessionals:update
    childrengroups:create childrengroups:read childrengroups:update childrengroups:delete
    institutions:read institutions:readAll institutions:update physicalactivities:read
    sleep:read measurements:read environment:read socioquest:read healthquest:read
    parentphyquest:read childrenphyquest:create childrenphyquest:read childrenphyquest:update
    habitsquest:read foodhabitsquest:read perceptionquest:read foodtracking:create
    foodtracking:read foodtracking:update foodtracking:delete missions:read
    gamificationprofile:read external:sync notifications:create notifications:read
    notifications:delete`),
};
