// run tests in UTC so date assertions are deterministic
module.exports = async () => {
  process.env.TZ = 'UTC';
};
