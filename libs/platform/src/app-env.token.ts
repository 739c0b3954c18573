/** Injection token of the app's validated env (AppEnv<'order'>, …). */
export const APP_ENV = Symbol('APP_ENV');
