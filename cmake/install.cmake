# make install: the library, its headers, sshkit.pc and a CMake package config.
include(CMakePackageConfigHelpers)

install(TARGETS sshkit sshkit_static EXPORT sshkitTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

install(EXPORT sshkitTargets NAMESPACE sshkit::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sshkit)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sshkitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sshkitConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sshkit)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sshkitConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sshkitConfig.cmake ${PROJECT_BINARY_DIR}/sshkitConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sshkit)

file(RELATIVE_PATH SSHKIT_PC_TO_PREFIX
  "${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/sshkit.pc.in ${PROJECT_BINARY_DIR}/sshkit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sshkit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
